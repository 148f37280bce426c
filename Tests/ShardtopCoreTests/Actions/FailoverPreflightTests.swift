import Testing
import ShardtopCore

@Suite struct FailoverPreflightTests {
    let cluster = FakeCluster.threeByOne()
    let a = "a".padded, d = "d".padded

    func snapshot(_ cluster: FakeCluster, unreachable: Set<String> = [], time: Double = 1) -> ClusterSnapshot {
        SnapshotAssembler.assemble(reports: cluster.reports(time: time, unreachable: unreachable), previous: nil, now: time)
    }

    @Test func healthyReplicaOffersOnlyTheDefaultMode() throws {
        let preflight = try #require(FailoverPreflight.make(snapshot: snapshot(cluster), nodeId: d))
        #expect(preflight.replica.id == d)
        #expect(preflight.primary?.id == a)
        #expect(preflight.linkStatus == "up")
        #expect(preflight.lagBytes == 0)
        #expect(preflight.majorityReachable)
        #expect(!preflight.noFailoverFlag)
        #expect(preflight.blockers.isEmpty)
        #expect(preflight.offeredModes(defaultFailed: false) == [.default])
        #expect(preflight.command(.default) == "CLUSTER FAILOVER (sent to 127.0.0.1:7004)")
        #expect(preflight.confirmation(for: .default) == nil)
    }

    @Test func pressingFOnAPrimaryPicksItsLeastLaggingReplica() throws {
        var lagging = cluster
        lagging.members.append(.init(id: "g".padded, port: 7007, role: .replica, primary: a, slots: [], offset: 400))
        let preflight = try #require(FailoverPreflight.make(snapshot: snapshot(lagging), nodeId: a))
        #expect(preflight.replica.id == d)
    }

    @Test func forceIsOfferedAfterTheDefaultFailsAndNamesTheBytesAtRisk() throws {
        var lagging = cluster
        lagging.members[3].offset = 700  // the replica is 300 bytes behind
        let preflight = try #require(FailoverPreflight.make(snapshot: snapshot(lagging), nodeId: d))
        #expect(preflight.lagBytes == 300)
        #expect(preflight.offeredModes(defaultFailed: false) == [.default])
        #expect(preflight.offeredModes(defaultFailed: true) == [.default, .force, .takeover])
        let force = try #require(preflight.confirmation(for: .force))
        #expect(force.warning.contains("300 bytes"))
        #expect(force.accepts("FORCE"))
        #expect(!force.accepts("force"))
        #expect(!force.accepts("y"))
        let takeover = try #require(preflight.confirmation(for: .takeover))
        #expect(takeover.warning.contains("skips the vote"))
        #expect(takeover.accepts("TAKEOVER"))
    }

    @Test func aPrimaryTheClusterMarkedFailedOffersForceAtOnce() throws {
        let failed = SnapshotAssembler.assemble(
            reports: cluster.reports(unreachable: [a], flagsFor: { $0.id == "a".padded ? .fail : [] }), previous: nil, now: 1)
        let preflight = try #require(FailoverPreflight.make(snapshot: failed, nodeId: d))
        #expect(!preflight.primaryReachable)
        #expect(preflight.primaryDown)
        #expect(preflight.offeredModes(defaultFailed: false).contains(.force))
        #expect(preflight.warnings.contains { $0.contains("FORCE is offered") })
        #expect(preflight.majorityReachable)  // b and c can still vote
    }

    @Test func aPrimaryOnlyWeCannotReachDoesNotUnlockForce() throws {
        let preflight = try #require(FailoverPreflight.make(snapshot: snapshot(cluster, unreachable: [a]), nodeId: d))
        #expect(!preflight.primaryDown)
        #expect(preflight.offeredModes(defaultFailed: false) == [.default])
        #expect(preflight.warnings.contains { $0.contains("try the default first") })
    }

    @Test func anOpenSlotOnTheShardBlocksTheFailover() throws {
        let reports = cluster.reports(openSlots: [a: [OpenSlotMark(slot: 7, direction: .migrating, peerID: "b".padded)]])
        let preflight = try #require(FailoverPreflight.make(snapshot: SnapshotAssembler.assemble(reports: reports, previous: nil, now: 1), nodeId: d))
        #expect(preflight.blockers.contains { $0.contains("slot 7 is open") })
        #expect(preflight.offeredModes(defaultFailed: true).isEmpty)
    }

    @Test func anUnreachableReplicaIsBlocked() throws {
        let preflight = try #require(FailoverPreflight.make(snapshot: snapshot(cluster, unreachable: [d]), nodeId: d))
        #expect(!preflight.blockers.isEmpty)
        #expect(preflight.offeredModes(defaultFailed: true).isEmpty)
    }

    @Test func trackingSucceedsOnTheRoleFlipAndOtherwiseTimesOutWithAReason() {
        var tracking = FailoverTracking(replicaId: d, replicaAddress: NodeAddress(host: "127.0.0.1", port: 7004), oldPrimaryId: a, mode: .default, sentAt: 1, timeout: 5)
        #expect(tracking.observe(snapshot(cluster, time: 2)) == .waiting)
        var flipped = cluster
        flipped.members[3].role = .primary
        flipped.members[3].primary = nil
        flipped.members[3].slots = [SlotRange(0, 5460)]
        flipped.members[0].role = .replica
        flipped.members[0].primary = d
        flipped.members[0].slots = []
        // The flip in a snapshot only prompts the direct confirmation (FailoverConfirmationTests).
        #expect(tracking.observe(snapshot(flipped, time: 2.5)) == .waiting)
        #expect(tracking.flipSeen)

        var stuck = FailoverTracking(replicaId: d, replicaAddress: NodeAddress(host: "127.0.0.1", port: 7004), oldPrimaryId: a, mode: .default, sentAt: 1, timeout: 5)
        var lagging = cluster
        lagging.members[3].offset = 10
        #expect(stuck.observe(snapshot(lagging, time: 3)) == .waiting)
        guard case .timedOut(let reason) = stuck.observe(snapshot(lagging, time: 7)) else {
            Issue.record("expected a timeout")
            return
        }
        #expect(reason.contains("990 bytes behind"))
    }
}
