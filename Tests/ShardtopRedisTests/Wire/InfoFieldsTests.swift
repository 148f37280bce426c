import Testing
@testable import ShardtopRedis

/// InfoFields indexes keys by a hash of their bytes; lookups must still behave like a dictionary
/// of the first value given for each exact key.
@Suite struct InfoFieldsTests {
    @Test func firstValueOfAKeyWinsAndEntriesKeepReplyOrder() {
        let fields = InfoFields("# Server\r\nrole:master\r\nrole:slave\r\nused_memory:10\r\n")
        #expect(fields["role"] == "master")
        #expect(fields.entries.map(\.key) == ["role", "role", "used_memory"])
    }

    @Test func onlyExactKeysMatch() {
        let fields = InfoFields("used_memory:10\r\nused_memory_rss:20\r\nUSED_MEMORY:30\r\n")
        #expect(fields["used_memory"] == "10")
        #expect(fields["used_memory_rss"] == "20")
        #expect(fields["used_memor"] == nil)
        #expect(fields["used_memory_peak"] == nil)
        #expect(fields[""] == nil)
    }

    @Test func valuesKeepTheirColonsAndTheLinesAreTrimmed() {
        let fields = InfoFields("  executable:/usr/bin/redis-server \r\nos:Linux 6.1:x86_64\r\n:no key\r\n")
        #expect(fields["executable"] == "/usr/bin/redis-server")
        #expect(fields["os"] == "Linux 6.1:x86_64")
        #expect(fields[""] == "no key")
    }

    /// Many keys (as in a cluster with many replicas): every one of them is found.
    @Test func everyKeyOfALongReplyIsFound() {
        let text = (0..<2000).map { "slave\($0):ip=10.0.0.\($0 % 250),port=\($0)" }.joined(separator: "\r\n")
        let fields = InfoFields(text)
        for index in 0..<2000 {
            #expect(fields["slave\(index)"] == "ip=10.0.0.\(index % 250),port=\(index)"[...])
        }
    }
}
