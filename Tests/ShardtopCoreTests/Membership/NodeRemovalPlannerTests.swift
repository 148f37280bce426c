import Testing
import ShardtopCore

@Suite struct NodeRemovalPlannerTests {
    let snapshot = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(), previous: nil, now: 1)

    @Test func aPrimaryWithSlotsIsRefusedWithoutDrain() {
        guard case .failure(let refusal) = NodeRemovalPlanner.plan(snapshot, nodeId: "a".padded, drain: false) else {
            Issue.record("not refused")
            return
        }
        #expect(refusal.reason.contains("owns 5461 slots: pass --drain"))
    }

    @Test func drainMovesOnlyItsSlotsAndReHomesItsReplica() throws {
        let plan = try NodeRemovalPlanner.plan(snapshot, nodeId: "a".padded, drain: true).get()
        #expect(plan.slotsDrained == 5461)
        #expect(plan.drain?.moves.allSatisfy { $0.fromId == "a".padded } == true)
        #expect(Set(plan.drain?.moves.map(\.toId) ?? []) == ["b".padded, "c".padded])
        #expect(plan.replicaMoves.map(\.replicaId) == ["d".padded])
        #expect(["b".padded, "c".padded].contains(plan.replicaMoves.first?.newPrimaryId ?? ""))
        #expect(plan.forgetOn.count == 5)
        #expect(plan.confirmation == nil)
    }

    @Test func theLastHealthyReplicaNeedsATypedConfirmationNamingTheShard() throws {
        let plan = try NodeRemovalPlanner.plan(snapshot, nodeId: "d".padded, drain: false).get()
        let confirmation = try #require(plan.confirmation)
        #expect(confirmation.expected == "remove the last replica of 127.0.0.1:7001")
        #expect(!confirmation.accepts("yes"))
    }

    @Test func aDeadNodeIsLeftToForget() {
        let dead = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(unreachable: ["d".padded]), previous: nil, now: 1)
        guard case .failure(let refusal) = NodeRemovalPlanner.plan(dead, nodeId: "d".padded, drain: false) else {
            Issue.record("not refused")
            return
        }
        #expect(refusal.reason.contains("shardtop forget"))
    }

    @Test func aDeadReplicaIsReplacedUnderItsOwnPrimary() throws {
        let ghost = Ghost(id: "d".padded, address: nil, primaryId: "a".padded, wasPrimary: false, knownBy: 5)
        #expect(try ReplacementPlanner.primary(for: ghost, snapshot: snapshot).get().id == "a".padded)
    }
}
