import Foundation
import Testing
import ShardtopCore

/// The journal is one file for every cluster; an entry belongs to the cluster whose node ids it
/// names, never to whichever cluster happens to reuse its addresses.
@Suite struct ActionRecordTests {
    let here = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(time: 1, unreachable: []), previous: nil, now: 1)

    func record(nodes: [String], ids: [String]?) -> ActionRecord {
        ActionRecord(time: 1, user: "op", host: "h", cluster: "127.0.0.1:7001 [aaaaaaaa]", action: "migrate",
                     nodes: nodes, commands: [], outcome: .succeeded, detail: "", clusterNodeIds: ids)
    }

    @Test func anEntryBelongsToTheClusterWhoseNodeIdsItRecorded() {
        let ids = ActionRecord.nodeIds(of: here)
        #expect(ids.count == 6 && ids == ids.sorted())
        #expect(record(nodes: [], ids: ids).belongs(to: here))
        #expect(record(nodes: [], ids: [ids[2]]).belongs(to: here), "one node in common is enough (the cluster may have grown)")
        // Same addresses, other ids: another cluster that reuses the ports.
        let elsewhere = (0..<6).map { String(repeating: "f", count: 39) + "\($0)" }
        #expect(!record(nodes: ["127.0.0.1:7001 ffffffff"], ids: elsewhere).belongs(to: here))
    }

    @Test func olderEntriesAreMatchedByTheIdPrefixesTheyName() {
        let id = ActionRecord.nodeIds(of: here)[0]
        #expect(record(nodes: ["127.0.0.1:7001 \(id.prefix(8))"], ids: nil).belongs(to: here))
        #expect(!record(nodes: ["127.0.0.1:7001 12345678"], ids: nil).belongs(to: here))
        #expect(!record(nodes: [], ids: nil).belongs(to: here), "an entry that names no node cannot be placed")
    }

    @Test func oldJournalLinesStillDecode() throws {
        let line = #"{"action":"migrate","cluster":"c","commands":[],"detail":"d","host":"h","nodes":[],"outcome":"started","time":1,"user":"u"}"#
        let decoded = try JSONDecoder().decode(ActionRecord.self, from: Data(line.utf8))
        #expect(decoded.clusterNodeIds == nil)
    }
}
