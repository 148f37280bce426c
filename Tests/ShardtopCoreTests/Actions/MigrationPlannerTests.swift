import Testing
import ShardtopCore

@Suite struct MigrationPlannerTests {
    let a = "a".padded, b = "b".padded, c = "c".padded, d = "d".padded
    var snapshot: ClusterSnapshot { SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(), previous: nil, now: 1) }

    @Test func aRangeAcrossTwoOwnersBecomesTwoPlans() throws {
        let plans = try MigrationPlanner.plans(snapshot, slots: [SlotRange(5450, 5470)], to: c)
        #expect(plans.map(\.sourceId) == [a, b])
        #expect(plans[0].slots == Array(5450...5460))
        #expect(plans[1].slots == Array(5461...5470))
        #expect(plans.allSatisfy { $0.path == .legacy && $0.pathReason.contains("needs 8.4") })
    }

    @Test func countTakesSlotsFromTheEndOfTheSource() throws {
        let plan = try MigrationPlanner.plan(snapshot, from: a, to: b, count: 3)
        #expect(plan.slots == [5458, 5459, 5460])
        #expect(plan.ranges == [SlotRange(5458, 5460)])
    }

    @Test func badRequestsGiveClearErrors() {
        #expect(throws: MigrationPlanner.PlanError.notAPrimary("127.0.0.1:7004")) {
            try MigrationPlanner.plans(snapshot, slots: [SlotRange(0, 1)], to: d)
        }
        #expect(throws: MigrationPlanner.PlanError.self) {
            try MigrationPlanner.plans(snapshot, slots: [SlotRange(0, 1)], to: a)
        }
        #expect(throws: MigrationPlanner.PlanError.unknownNode("nope")) {
            try MigrationPlanner.plan(snapshot, from: "nope", to: a, count: 1)
        }
    }

    @Test func atomicPathNeedsValkeyNineOnBothEnds() {
        var source = SnapshotNode(id: a, address: NodeAddress(host: "h", port: 1), role: .primary, health: .ok)
        var target = SnapshotNode(id: b, address: NodeAddress(host: "h", port: 2), role: .primary, health: .ok)
        source.server = "valkey"; source.version = "9.1.2"
        target.server = "valkey"; target.version = "9.0.0"
        #expect(MigrationPlanner.choosePath(source: source, target: target).0 == .atomic)
        target.version = "8.1.1"
        let (path, reason) = MigrationPlanner.choosePath(source: source, target: target)
        #expect(path == .legacy)
        #expect(reason.contains("h:2") && reason.contains("8.1.1"))
        source.version = "8.1.1"
        #expect(MigrationPlanner.choosePath(source: source, target: target).1 == "legacy path, on both nodes: valkey 8.1.1 predates atomic slot migration (9.0)")
        #expect(ServerVersion("9.0.10") > ServerVersion("9.0.9"))
    }

    @Test func bigKeysAreWarnedAbout() {
        var plan = MigrationPlanner.plan(source: snapshot.node(id: a)!, target: snapshot.node(id: b)!, slots: [1])
        plan.bigKeys = [BigKey(key: "huge", slot: 1, bytes: 64 << 20), BigKey(key: "small", slot: 1, bytes: 100)]
        #expect(plan.warnings.count == 1)
        #expect(plan.warnings[0].contains("huge") && plan.warnings[0].contains("64.0 MiB"))
    }
}
