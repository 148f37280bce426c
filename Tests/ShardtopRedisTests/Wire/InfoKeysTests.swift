import Foundation
import Testing
@testable import ShardtopRedis

/// `ServerInfoParser.parse(bytes:)` indexes only the keys it reads (`InfoKeys`): on every INFO
/// captured from a real server it must read exactly what a parse of every line reads.
@Suite struct InfoKeysTests {
    static let fixtures = [
        "redis7-info-aof-rewrite", "redis7-info-bgsave-running", "redis7-info-near-full", "redis7-info-primary",
        "redis7-info-replica-linkdown", "redis7-info-replica-loading", "redis7-info-replica-syncing", "redis7-info-replica",
        "redis7-info-save-failed", "valkey9-info-aof-rewrite", "valkey9-info-bgsave-running", "valkey9-info-near-full",
        "valkey9-info-primary", "valkey9-info-replica", "valkey9-info-save-failed",
    ]

    @Test(arguments: fixtures)
    func onlyTheKeptKeysAreIndexedAndTheReadingIsTheSame(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures"))
        let bytes = Array(try Data(contentsOf: url))
        let every = InfoFields(bytes: bytes)
        let kept = InfoFields(bytes: bytes, keeping: ServerInfoParser.keys)
        #expect(kept.entries.count < every.entries.count / 2, "most lines are not indexed")
        #expect(ServerInfoParser.parse(bytes: bytes) == ServerInfoParser.parse(every))
    }

    @Test func numberedKeysAreKeptAndLookalikesAreNot() {
        let keys = InfoKeys(["role"], numbered: ["slave", "db"])
        let fields = InfoFields(bytes: Array("role:master\r\nslave0:ip=a,port=1\r\nslave_repl_offset:5\r\nslave12:ip=b,port=2\r\ndb0:keys=3\r\ndbx1:y\r\nrole2:z\r\n".utf8),
                                keeping: keys)
        #expect(fields.entries.map(\.key) == ["role", "slave0", "slave12", "db0"])
        #expect(fields.numbered("slave").count == 2)
    }
}
