import Testing
import ShardtopCore

@Suite struct RebalancePlannerTests {
    let a = "a".padded, b = "b".padded, c = "c".padded

    func snapshot(_ slots: [[SlotRange]]) -> ClusterSnapshot {
        var cluster = FakeCluster.threeByOne()
        for (index, ranges) in slots.enumerated() { cluster.members[index].slots = ranges }
        return SnapshotAssembler.assemble(reports: cluster.reports(), previous: nil, now: 1)
    }

    @Test func unevenSlotsAreEvenedOut() {
        let plan = RebalancePlanner.plan(snapshot([[SlotRange(0, 9999)], [SlotRange(10000, 12999)], [SlotRange(13000, 16383)]]), metric: .slots)
        #expect(plan.before[a] == 10000)
        for id in [a, b, c] { #expect(abs(plan.after[id]! - 16384.0 / 3) <= 2) }
        #expect(plan.moves.allSatisfy { $0.fromId == a })
        #expect(plan.slotsMoved == 10000 - 5461)
    }

    @Test func aBalancedClusterProposesNothing() {
        let plan = RebalancePlanner.plan(snapshot([[SlotRange(0, 5460)], [SlotRange(5461, 10922)], [SlotRange(10923, 16383)]]), metric: .slots)
        #expect(plan.moves.isEmpty)
    }

    @Test func weightZeroDrainsAPrimary() {
        let plan = RebalancePlanner.plan(snapshot([[SlotRange(0, 5460)], [SlotRange(5461, 10922)], [SlotRange(10923, 16383)]]), metric: .slots, weights: [a: 0])
        #expect(plan.after[a] == 0)
        #expect(plan.slotsMoved == 5461)
        #expect(abs(plan.after[b]! - plan.after[c]!) <= 1)
    }

    @Test func keysMetricMovesHotSlots() {
        var keys: [Int: Int] = [:]
        for slot in 0..<100 { keys[slot] = 1000 }  // a owns 100 heavy slots
        let plan = RebalancePlanner.plan(snapshot([[SlotRange(0, 5460)], [SlotRange(5461, 10922)], [SlotRange(10923, 16383)]]), metric: .keys, slotKeys: keys)
        #expect(plan.before[a] == 100_000)
        for id in [a, b, c] { #expect(abs(plan.after[id]! - 100_000.0 / 3) <= 1000) }
        #expect(plan.moves.allSatisfy { $0.fromId == a && $0.slots.allSatisfy { $0 < 100 } })
    }
}
