import Testing
import ShardtopCore

@Suite struct SnapshotDiffTests {
    let cluster = FakeCluster.threeByOne()

    func snapshot(_ reports: [NodeReport], previous: ClusterSnapshot? = nil, at time: Double = 100) -> ClusterSnapshot {
        SnapshotAssembler.assemble(reports: reports, previous: previous, now: time)
    }

    @Test func identicalSnapshotsGiveNoEvents() {
        let a = snapshot(cluster.reports())
        #expect(SnapshotDiff.events(from: a, to: a).isEmpty)
    }

    @Test func unreachableAndBack() {
        let a = snapshot(cluster.reports())
        let b = snapshot(cluster.reports(unreachable: ["b".padded]), previous: a)
        let down = SnapshotDiff.events(from: a, to: b)
        #expect(down.map(\.kind) == [.nodeUnreachable])
        #expect(down.first?.node == "b".padded)
        let up = SnapshotDiff.events(from: b, to: snapshot(cluster.reports(), previous: b))
        #expect(up.map(\.kind) == [.nodeReachable])
    }

    @Test func clusterFailVerdictOnASilentNodeIsNotReportedAsBack() {
        let a = snapshot(cluster.reports())
        let b = snapshot(cluster.reports(unreachable: ["b".padded]), previous: a)
        let c = snapshot(cluster.reports(unreachable: ["b".padded], flagsFor: { $0.id == "b".padded ? .fail : [] }), previous: b)
        #expect(c.node(id: "b".padded)?.health == .fail)
        let kinds = SnapshotDiff.events(from: b, to: c).map(\.kind)
        #expect(kinds == [.healthChanged])
    }

    @Test func failoverShowsRoleFlipsAndFlags() {
        let a = snapshot(cluster.reports())
        var after = cluster
        after.members[0].role = .replica
        after.members[0].primary = "d".padded
        after.members[3].role = .primary
        after.members[3].primary = nil
        after.members[3].slots = after.members[0].slots
        after.members[0].slots = []
        let b = snapshot(after.reports(flagsFor: { $0.id == "a".padded ? .fail : [] }), previous: a)
        let events = SnapshotDiff.events(from: a, to: b)
        #expect(events.contains { $0.kind == .roleChanged && $0.node == "d".padded && $0.message.contains("promoted") })
        #expect(events.contains { $0.kind == .roleChanged && $0.node == "a".padded })
        #expect(events.contains { $0.kind == .healthChanged && $0.severity == .error })
        let moved = events.first { $0.kind == .slotsMoved }
        #expect(moved?.message.hasPrefix("5461 slots (0-5460) moved from") == true)
    }

    @Test func migrationOpenAndClose() {
        let a = snapshot(cluster.reports())
        let b = snapshot(cluster.reports(openSlots: ["a".padded: [OpenSlotMark(slot: 3, direction: .migrating, peerID: "b".padded)]]), previous: a)
        #expect(SnapshotDiff.events(from: a, to: b).map(\.kind) == [.migrationOpened])
        #expect(SnapshotDiff.events(from: b, to: a).map(\.kind) == [.migrationClosed])
    }

    @Test func manyOpenSlotsMakeOneEventPerNodeAndDirection() {
        let a = snapshot(cluster.reports())
        let marks = (0..<16).map { OpenSlotMark(slot: $0, direction: .migrating, peerID: "b".padded) }
            + [OpenSlotMark(slot: 20, direction: .migrating, peerID: "b".padded)]
        let imports = (0..<16).map { OpenSlotMark(slot: $0, direction: .importing, peerID: "a".padded) }
        let b = snapshot(cluster.reports(openSlots: ["a".padded: marks, "b".padded: imports]), previous: a)
        let opened = SnapshotDiff.events(from: a, to: b)
        #expect(opened.map(\.kind) == [.migrationOpened, .migrationOpened])
        #expect(opened.contains { $0.node == "a".padded && $0.message.hasPrefix("slots 0-15,20 migrating from ") })
        #expect(opened.contains { $0.node == "b".padded && $0.message.hasPrefix("slots 0-15 importing into ") })
        let closed = SnapshotDiff.events(from: b, to: a)
        #expect(closed.map(\.kind) == [.migrationClosed, .migrationClosed])
        #expect(closed.contains { $0.message.hasPrefix("slots 0-15,20 no longer migrating on ") })
    }

    @Test func lagCrossingTheThresholdBothWays() {
        let a = snapshot(cluster.reports())
        var lagging = cluster
        lagging.members[1].offset = 5_000_000
        let b = snapshot(lagging.reports(), previous: a)
        let up = SnapshotDiff.events(from: a, to: b)
        #expect(up.map(\.kind) == [.lagAboveThreshold])
        #expect(up.first?.node == "e".padded)
        #expect(SnapshotDiff.events(from: b, to: a).map(\.kind) == [.lagBelowThreshold])
    }

    @Test func stateChangeNodeJoinAndLeave() {
        let a = snapshot(cluster.reports())
        var smaller = cluster
        smaller.members.removeLast()
        smaller.state = "fail"
        let b = snapshot(smaller.reports(), previous: a)
        let kinds = Set(SnapshotDiff.events(from: a, to: b).map(\.kind))
        #expect(kinds == [.clusterStateChanged, .nodeLeft])
        #expect(Set(SnapshotDiff.events(from: b, to: a).map(\.kind)) == [.clusterStateChanged, .nodeJoined])
    }

    @Test func replicaLinkDownAndUp() {
        let a = snapshot(cluster.reports())
        var reports = cluster.reports()
        if case .answered(let t, let c, var info) = reports[3].outcome {
            info.primaryLinkUp = false
            info.primaryLinkDownSinceSeconds = 3
            reports[3].outcome = .answered(topology: t, clusterInfo: c, info: info)
        }
        let b = snapshot(reports, previous: a)
        #expect(SnapshotDiff.events(from: a, to: b).map(\.kind) == [.replicaLinkDown])
        #expect(SnapshotDiff.events(from: b, to: a).map(\.kind) == [.replicaLinkUp])
    }
}
