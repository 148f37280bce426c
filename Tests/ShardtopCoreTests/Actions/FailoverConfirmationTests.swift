import Testing
import ShardtopCore

/// The rule that decides a failover took: the candidate's own ROLE, its config epoch above every
/// other claim on its slots, a majority of the voting primaries agreeing, and all of it holding.
@Suite struct FailoverConfirmationTests {
    let a = "a".padded, b = "b".padded, c = "c".padded, d = "d".padded
    var electorate: [String] { [a, b, c] }
    let shardSlots = [SlotRange(0, 5460)]

    /// How one node sees the cluster after `d` took over from `a` with `epoch` (or before, when `flipped` is false).
    func view(by viewer: String, flipped: Bool = true, epoch: Int64 = 7, aEpoch: Int64 = 3, aClaims: Bool = false) -> [TopologyEntry] {
        func line(_ id: String, port: Int, primaryOf: String?, epoch: Int64, slots: [SlotRange]) -> TopologyEntry {
            var flags: NodeFlags = primaryOf == nil ? .primary : .replica
            if id == viewer { flags.insert(.myself) }
            return TopologyEntry(id: id, address: NodeAddress(host: "127.0.0.1", port: port), flags: flags, primaryID: primaryOf,
                                 configEpoch: epoch, linkConnected: true, slots: slots)
        }
        let dIsPrimary = flipped && !aClaims
        return [
            line(a, port: 7001, primaryOf: dIsPrimary ? d : nil, epoch: aEpoch, slots: dIsPrimary ? [] : shardSlots),
            line(b, port: 7002, primaryOf: nil, epoch: 1, slots: [SlotRange(5461, 10922)]),
            line(c, port: 7003, primaryOf: nil, epoch: 2, slots: [SlotRange(10923, 16383)]),
            line(d, port: 7004, primaryOf: dIsPrimary ? nil : a, epoch: epoch, slots: dIsPrimary ? shardSlots : []),
        ]
    }

    func flippedEverywhere(time: Double = 10) -> FailoverConfirmation {
        FailoverConfirmation(time: time, role: .primary, views: [d: view(by: d), a: view(by: a), b: view(by: b), c: view(by: c)])
    }

    @Test func aFlipSeenByEveryVoterWithTheHighestEpochIsSettled() {
        #expect(flippedEverywhere().verdict(candidateId: d, electorate: electorate) == .settled)
    }

    @Test func itsOwnRoleMustSayPrimary() {
        var confirmation = flippedEverywhere()
        confirmation.role = .replica
        #expect(confirmation.verdict(candidateId: d, electorate: electorate) == .unsettled("it still calls itself a replica"))
        confirmation.role = nil
        #expect(confirmation.verdict(candidateId: d, electorate: electorate) == .unsettled("the replica did not say its own role"))
    }

    /// The reversal seen in the field: the old primary still claims the slots with a higher epoch.
    @Test func aRivalClaimWithAHigherEpochIsNotSettled() {
        var confirmation = flippedEverywhere()
        var rival = view(by: a)
        rival[0] = TopologyEntry(id: a, address: NodeAddress(host: "127.0.0.1", port: 7001), flags: [.myself, .primary], primaryID: nil,
                                 configEpoch: 8, linkConnected: true, slots: shardSlots)
        confirmation.views[a] = rival
        guard case .unsettled(let reason) = confirmation.verdict(candidateId: d, electorate: electorate) else {
            Issue.record("a rival claim with epoch 8 must not settle")
            return
        }
        #expect(reason.contains("claims slot 0 with config epoch 8 >= 7"))
    }

    @Test func aMajorityOfTheVotingPrimariesMustAgree() {
        // Only b has learned the new configuration; c still sees a owning the slots, a does not answer.
        let minority = FailoverConfirmation(time: 10, role: .primary, views: [d: view(by: d), b: view(by: b), c: view(by: c, flipped: false)])
        #expect(minority.verdict(candidateId: d, electorate: electorate) == .unsettled("1 of 3 voting primaries see it as primary with config epoch 7; a majority is needed"))
        // A viewer that knows d as primary but with an older epoch has not learned the new configuration either.
        var stale = flippedEverywhere()
        stale.views[c] = view(by: c, epoch: 6)
        stale.views[a] = nil
        #expect(stale.verdict(candidateId: d, electorate: electorate) != .settled)
        let majority = FailoverConfirmation(time: 10, role: .primary, views: [d: view(by: d), a: view(by: a), b: view(by: b), c: view(by: c, flipped: false)])
        #expect(majority.verdict(candidateId: d, electorate: electorate) == .settled)
    }

    @Test func theElectorateIsThePrimariesServingSlotsWithTheOldPrimary() {
        let snapshot = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(time: 1), previous: nil, now: 1)
        #expect(Set(FailoverTracking.electorate(in: snapshot, replicaId: d, oldPrimaryId: a)) == [a, b, c])
    }

    // MARK: - The tracking

    func tracking() -> FailoverTracking {
        FailoverTracking(replicaId: d, replicaAddress: NodeAddress(host: "127.0.0.1", port: 7004), oldPrimaryId: a, mode: .default,
                         sentAt: 9, timeout: 5, electorate: electorate)
    }

    func flippedSnapshot(time: Double) -> ClusterSnapshot {
        var cluster = FakeCluster.threeByOne()
        cluster.members[3].role = .primary
        cluster.members[3].primary = nil
        cluster.members[3].slots = shardSlots
        cluster.members[0].role = .replica
        cluster.members[0].primary = d
        cluster.members[0].slots = []
        return SnapshotAssembler.assemble(reports: cluster.reports(time: time), previous: nil, now: time)
    }

    func unflippedSnapshot(time: Double) -> ClusterSnapshot {
        SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(time: time), previous: nil, now: time)
    }

    @Test func oneSnapshotShowingTheFlipIsNotSuccess() {
        var tracking = tracking()
        #expect(tracking.observe(flippedSnapshot(time: 9.1)) == .waiting)
        #expect(tracking.flipSeen)
        #expect(tracking.confirm(flippedEverywhere(time: 9.2)) == .waiting, "one settled confirmation is not yet a flip that held")
        #expect(tracking.confirm(flippedEverywhere(time: 9.4)) == .waiting)
        guard case .succeeded(let seconds) = tracking.confirm(flippedEverywhere(time: 9.5)) else {
            Issue.record("held for 0.3 s: expected success, got \(tracking.phase)")
            return
        }
        #expect(abs(seconds - 0.2) < 0.001, "timed from the first settled answer: \(seconds)")
    }

    /// The ping-pong case: the node wins, reports itself primary, and is a replica again 0.3 s later.
    @Test func aFlipThatIsUndoneNeverSucceedsAndTheDeadlineSaysSo() {
        var tracking = tracking()
        tracking.observe(flippedSnapshot(time: 9.1))
        tracking.confirm(flippedEverywhere(time: 9.15))
        var reverted = flippedEverywhere(time: 9.3)
        reverted.role = .replica
        #expect(tracking.confirm(reverted) == .waiting)
        #expect(tracking.confirm(flippedEverywhere(time: 9.46)) == .waiting, "the hold starts again after an unsettled answer")
        #expect(tracking.observe(unflippedSnapshot(time: 9.5)) == .waiting)
        #expect(!tracking.flipSeen)
        #expect(tracking.lastObservation == "it was primary and is a replica again")
        guard case .timedOut(let reason) = tracking.observe(unflippedSnapshot(time: 14.1)) else {
            Issue.record("expected a timeout, got \(tracking.phase)")
            return
        }
        #expect(reason.hasPrefix("no stable role flip after 5 s"))
    }

    @Test func theElectorateIsLearnedFromTheFirstSnapshotWhenNotGiven() {
        var tracking = FailoverTracking(replicaId: d, replicaAddress: NodeAddress(host: "127.0.0.1", port: 7004), oldPrimaryId: a, mode: .default, sentAt: 9)
        tracking.observe(flippedSnapshot(time: 9.1))
        #expect(Set(tracking.electorate ?? []) == [a, b, c])
    }
}
