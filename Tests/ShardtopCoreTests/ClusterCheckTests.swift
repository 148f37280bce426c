import Testing
import ShardtopCore

@Suite struct ClusterCheckTests {
    let cluster = FakeCluster.threeByOne()

    @Test func healthyClusterOnLoopbackHasNoFindings() {
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(), previous: nil, now: 1)
        #expect(ClusterCheck.findings(snapshot).isEmpty)
    }

    @Test func replicasOnTheirPrimarysHostAreWarnings() {
        var shared = cluster
        shared.host = "10.1.2.3"
        let snapshot = SnapshotAssembler.assemble(reports: shared.reports(), previous: nil, now: 1)
        let findings = ClusterCheck.findings(snapshot)
        #expect(findings.allSatisfy { $0.severity == .warning && $0.code == "replica-same-host" })
        #expect(findings.count == 3)
    }

    @Test func openSlotUncoveredAndUnreachableAreErrors() {
        var broken = cluster
        broken.members[2].slots = [SlotRange(10923, 16000)]
        let reports = broken.reports(
            unreachable: ["e".padded],
            openSlots: ["a".padded: [OpenSlotMark(slot: 9, direction: .migrating, peerID: "b".padded)]]
        )
        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 1)
        let codes = Set(ClusterCheck.findings(snapshot).filter { $0.severity == .error }.map(\.code))
        #expect(codes == ["uncovered-slots", "open-slot", "node-unreachable"])
        let uncovered = ClusterCheck.findings(snapshot).first { $0.code == "uncovered-slots" }
        #expect(uncovered?.message == "383 slots not served by any node: 16001-16383")
    }

    @Test func errorsSortBeforeWarnings() {
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(unreachable: ["d".padded]), previous: nil, now: 1)
        let findings = ClusterCheck.findings(snapshot)
        #expect(findings.first?.severity == .error)
        #expect(findings.contains { $0.code == "no-healthy-replica" })
    }
}

@Suite struct GhostHintTests {
    /// A replica the cluster marks failed, that does not answer here and owns nothing, is most
    /// likely gone for good: its finding says what clears it. A failed primary with slots is not.
    @Test func aFailedSlotlessUnreachableNodeNamesForget() {
        let cluster = FakeCluster.threeByOne()
        let replica = "d".padded
        let reports = cluster.reports(unreachable: [replica], flagsFor: { $0.id == replica ? [.fail] : [] })
        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 1)
        let failed = ClusterCheck.findings(snapshot).first { $0.code == "node-failed" }
        #expect(failed?.message.contains("`shardtop forget` (f on the dashboard's Overview) clears it everywhere") == true, "\(String(describing: failed))")

        let primary = "a".padded
        let down = cluster.reports(unreachable: [primary], flagsFor: { $0.id == primary ? [.fail] : [] })
        let withSlots = ClusterCheck.findings(SnapshotAssembler.assemble(reports: down, previous: nil, now: 1)).first { $0.code == "node-failed" }
        #expect(withSlots?.message.contains("forget") == false, "\(String(describing: withSlots))")
    }
}
