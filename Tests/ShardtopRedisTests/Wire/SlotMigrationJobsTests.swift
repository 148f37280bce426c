import Testing
import ShardtopCore
@testable import ShardtopRedis

@Suite struct SlotMigrationJobsTests {
    /// The reply shapes: RESP2 flat field/value lists and RESP3 maps (real replies are covered by
    /// the atomic-path integration tests on valkey 9.1.2).
    @Test func readsFlatListsAndMaps() {
        let flat: RESPValue = .array([.array([
            .bulkString(Array("name".utf8)), .bulkString(Array("7c1e".utf8)),
            .bulkString(Array("operation".utf8)), .bulkString(Array("EXPORT".utf8)),
            .bulkString(Array("slot_ranges".utf8)), .bulkString(Array("0-499".utf8)),
            .bulkString(Array("state".utf8)), .bulkString(Array("success".utf8)),
            .bulkString(Array("message".utf8)), .bulkString(Array("".utf8)),
            .bulkString(Array("create_time".utf8)), .integer(1_795_000_000),
        ])])
        let expected = SlotMigrationJob(name: "7c1e", operation: "EXPORT", slotRanges: "0-499", state: "success", message: "")
        #expect(SlotMigrationJob.parse(flat) == [expected])
        let map: RESPValue = .array([.map([
            RESPPair(key: .bulkString(Array("name".utf8)), value: .bulkString(Array("7c1e".utf8))),
            RESPPair(key: .bulkString(Array("operation".utf8)), value: .bulkString(Array("EXPORT".utf8))),
            RESPPair(key: .bulkString(Array("slot_ranges".utf8)), value: .bulkString(Array("0-499".utf8))),
            RESPPair(key: .bulkString(Array("state".utf8)), value: .bulkString(Array("success".utf8))),
        ])])
        #expect(SlotMigrationJob.parse(map) == [expected])
        #expect(SlotMigrationJob.parse(.array([])).isEmpty)
    }
}
