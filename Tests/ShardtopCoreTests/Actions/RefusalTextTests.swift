import Testing
import ShardtopCore

/// A slot being moved carries two marks (MIGRATING on the source, IMPORTING on the target); the
/// refusal and the banner count it once.
@Suite struct RefusalTextTests {
    let a = "a".padded, b = "b".padded

    func snapshotWithOpenSlots(_ slots: Range<Int>) -> ClusterSnapshot {
        let cluster = FakeCluster.threeByOne()
        let marks = [a: slots.map { OpenSlotMark(slot: $0, direction: .migrating, peerID: b) },
                     b: slots.map { OpenSlotMark(slot: $0, direction: .importing, peerID: a) }]
        return SnapshotAssembler.assemble(reports: cluster.reports(openSlots: marks), previous: nil, now: 1)
    }

    @Test func sixteenOpenSlotsAreSixteenNotThirtyTwoProblems() {
        let snapshot = snapshotWithOpenSlots(0..<16)
        #expect(snapshot.openSlots.count == 32)
        #expect(snapshot.openSlotNumbers == Array(0..<16))
        let problems = ActionPreconditions.blockingProblems(snapshot)
        let refusal = ActionPreconditions.refusal(problems, snapshot: snapshot, action: "migrate")
        #expect(refusal == "refusing to migrate while the cluster has 16 open slots: 0-15; settle them with `shardtop fix`", "\(refusal)")
        #expect(!refusal.contains("32"))
        let lines = ActionPreconditions.refusalLines(problems, snapshot: snapshot) { "refusing to migrate while the cluster has \($0) problem\($0 == 1 ? "" : "s"):" }
        #expect(lines == ["refusing to migrate while the cluster has 1 problem:", "16 open slots: 0-15"])
    }

    @Test func oneOpenSlotAmongOtherProblemsIsOneLine() {
        var snapshot = snapshotWithOpenSlots(5..<6)
        snapshot.state = "fail"
        let problems = ActionPreconditions.blockingProblems(snapshot)
        let refusal = ActionPreconditions.refusal(problems, snapshot: snapshot, action: "rebalance")
        #expect(refusal == "refusing to rebalance while the cluster has 2 problems: cluster_state is fail; 1 open slot: 5", "\(refusal)")
    }
}
