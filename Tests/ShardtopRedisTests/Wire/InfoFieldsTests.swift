import Testing
@testable import ShardtopRedis

/// InfoFields reads the reply's bytes and indexes keys by a hash of them; lookups must still
/// behave like a dictionary of the first value given for each exact key.
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

    /// The key is hashed a word at a time: keys alike but for one byte in the middle, or of seven,
    /// eight and nine bytes, are still told apart.
    @Test func keysThatDifferOnlyInTheMiddleOrInLengthAreToldApart() {
        let fields = InfoFields("abcdefghXabcdefgh:1\r\nabcdefghYabcdefgh:2\r\nabcdefg:3\r\nabcdefgh:4\r\nabcdefghi:5\r\n")
        #expect(fields["abcdefghXabcdefgh"] == "1")
        #expect(fields["abcdefghYabcdefgh"] == "2")
        #expect(fields["abcdefghZabcdefgh"] == nil)
        #expect(fields["abcdefg"] == "3")
        #expect(fields["abcdefgh"] == "4")
        #expect(fields["abcdefghi"] == "5")
        #expect(fields["abcdefgi"] == nil)
    }

    /// Many keys (as in a cluster with many replicas): every one of them is found.
    @Test func everyKeyOfALongReplyIsFound() {
        let text = (0..<2000).map { "slave\($0):ip=10.0.0.\($0 % 250),port=\($0)" }.joined(separator: "\r\n")
        let fields = InfoFields(text)
        for index in 0..<2000 {
            #expect(fields["slave\(index)"] == "ip=10.0.0.\(index % 250),port=\(index)")
        }
    }

    @Test func numbersAreReadAsInt64ReadsThem() {
        let fields = InfoFields("a:42\r\nb:-7\r\nc:+3\r\nd:9223372036854775807\r\ne:-9223372036854775808\r\n"
            + "f:9223372036854775808\r\ng:\r\nh:-\r\ni:1.5\r\nj:12a\r\nk: 1\r\n")
        #expect(fields.int64("a") == 42)
        #expect(fields.int64("b") == -7)
        #expect(fields.int64("c") == 3)
        #expect(fields.int64("d") == .max)
        #expect(fields.int64("e") == .min)
        for key in ["f", "g", "h", "i", "j", "k", "missing"] {
            #expect(fields.int64(key) == nil, "\(key)")
            #expect(fields.int64(key) == fields[key].flatMap { Int64($0) }, "\(key) as Int64(String) reads it")
        }
        #expect(fields.double("i") == 1.5)
        #expect(fields.string("g") == nil)
        #expect(fields["g"] == "")
    }

    @Test func linesEndAtLFOrCRAndHeadersCarryNoField() {
        let fields = InfoFields("# Replication\nrole:master\rconnected_slaves:1\r\n\r\n\tslave0:ip=1.2.3.4,port=7000 \n#x:y\n")
        #expect(fields["role"] == "master")
        #expect(fields.int("connected_slaves") == 1)
        #expect(fields["#x"] == nil)
        #expect(fields.entries.map(\.key) == ["role", "connected_slaves", "slave0"])
    }

    @Test func numberedKeysAndTheirPairs() {
        let fields = InfoFields("slave_repl_offset:9\r\nslave0:ip=10.0.0.1,port=7001,state=online,offset=5,lag=0\r\n"
            + "slave:x=1\r\nslave1x:ip=z\r\nslave12:ip=10.0.0.2,port=7002,lag=1,type=replica\r\ndb0:keys=3,expires=0\r\n")
        let replicas = fields.numbered("slave")
        #expect(replicas.count == 2)
        #expect(replicas[0].string("ip") == "10.0.0.1")
        #expect(replicas[0].int("port") == 7001)
        #expect(replicas[0].int64("offset") == 5)
        #expect(replicas[1].string("type") == "replica")
        #expect(replicas[1].string("state") == nil)
        #expect(fields.numbered("db").first?.int64("keys") == 3)
        #expect(fields.numbered("db").first?.int64("expires") == 0)
    }
}
