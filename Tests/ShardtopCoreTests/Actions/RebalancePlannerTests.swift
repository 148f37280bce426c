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

/// Extreme weights: the CLI refuses them, but the planner must never do arithmetic on infinity or
/// NaN (three weights of 1e308 summed to infinity and every target became NaN).
@Suite struct RebalanceExtremeWeightTests {
    let a = "a".padded, b = "b".padded, c = "c".padded

    @Test(arguments: [1e308, .greatestFiniteMagnitude, .infinity, .nan, -.infinity, -5])
    func targetsStayFiniteAndSumToTheSlots(weight: Double) {
        var cluster = FakeCluster.threeByOne()
        for (index, range) in [SlotRange(0, 9999), SlotRange(10000, 12999), SlotRange(13000, 16383)].enumerated() {
            cluster.members[index].slots = [range]
        }
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(), previous: nil, now: 1)
        // Negative weights clamp to 0 (drain); one primary keeps weight 1 so there is a share to fill.
        let plan = RebalancePlanner.plan(snapshot, metric: .slots, weights: [a: weight, b: weight, c: weight < 0 ? 1 : weight])
        #expect(plan.targets.values.allSatisfy { $0.isFinite }, "\(plan.targets)")
        #expect(plan.after.values.allSatisfy { $0.isFinite })
        #expect(abs(plan.targets.values.reduce(0, +) - Double(hashSlotCount)) < 1)
        #expect(plan.moves.allSatisfy { Set($0.slots).count == $0.slots.count })
    }

    @Test func weightsAreCheckedAsFiniteAndBounded() {
        #expect(RebalanceWeight.isValid(0) && RebalanceWeight.isValid(2.5) && RebalanceWeight.isValid(1_000_000))
        for bad in [-1, 1e308, .infinity, .nan, 1_000_001] { #expect(!RebalanceWeight.isValid(bad), "\(bad)") }
    }
}
