import Testing
import ShardtopCore

@Suite struct SlotRepairTests {
    let a = "a".padded, b = "b".padded
    let cluster = FakeCluster.threeByOne()

    func repairs(_ marks: [String: [OpenSlotMark]], moveSlotTo owner: String? = nil) -> [SlotRepair] {
        var cluster = cluster
        if owner == b {
            cluster.members[0].slots = [SlotRange(0, 4), SlotRange(6, 5460)]
            cluster.members[1].slots = [SlotRange(5, 5), SlotRange(5461, 10922)]
        }
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(openSlots: marks), previous: nil, now: 1)
        return SlotRepair.find(snapshot)
    }

    @Test func everyInterruptionPointIsClassified() {
        let migrating = OpenSlotMark(slot: 5, direction: .migrating, peerID: b)
        let importing = OpenSlotMark(slot: 5, direction: .importing, peerID: a)
        #expect(repairs([a: [migrating], b: [importing]]).map(\.kind) == [.interruptedMove])
        #expect(repairs([a: [migrating]]).map(\.kind) == [.migratingOnly])
        #expect(repairs([b: [importing]]).map(\.kind) == [.importingOnly])
        #expect(repairs([a: [migrating]], moveSlotTo: b).map(\.kind) == [.finalisedOnTarget])
        let repair = repairs([b: [importing]])[0]
        #expect(repair.sourceId == a && repair.targetId == b && repair.ownerId == a)
        #expect(repair.explanation.contains("Resume") && repair.explanation.contains("roll back"))
    }
}
