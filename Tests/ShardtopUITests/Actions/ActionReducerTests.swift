import ShardtopCore
import Testing
@testable import ShardtopUI

/// Operator actions through the pure reducer: what each key opens, what confirming sends, and how a
/// sent failover is followed. Nothing here touches a server; the integration tests do that.
@Suite struct ActionReducerTests: ReducerDriving {
    /// The nodes screen with the first replica selected.
    func replicaSelected() -> (AppState, SnapshotNode) {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        let replica = select(&state) { $0.role == .replica }
        return (state, replica)
    }

    func flipped(_ snapshot: ClusterSnapshot, promote id: String, at time: Double) -> ClusterSnapshot {
        var snapshot = snapshot
        snapshot.time = time
        let index = snapshot.nodes.firstIndex { $0.id == id }!
        snapshot.nodes[index].role = .primary
        return snapshot
    }

    /// What the nodes say when asked directly after `id` took over from its primary, every node agreeing.
    func agreed(_ snapshot: ClusterSnapshot, promote id: String, at time: Double) -> FailoverConfirmation {
        let oldPrimary = snapshot.node(id: id)!.primaryId!
        let slots = snapshot.node(id: oldPrimary)!.slots
        let lines = snapshot.nodes.map { node in
            let promoted = node.id == id, demoted = node.id == oldPrimary
            return TopologyEntry(
                id: node.id, address: node.address, flags: promoted || (node.isPrimary && !demoted) ? .primary : .replica,
                primaryID: promoted ? nil : demoted ? id : node.primaryId, configEpoch: promoted ? 99 : node.configEpoch,
                linkConnected: true, slots: promoted ? slots : demoted ? [] : node.slots
            )
        }
        var views: [String: [TopologyEntry]] = [:]
        for viewer in snapshot.nodes {
            views[viewer.id] = lines.map { line in
                var line = line
                if line.id == viewer.id { line.flags.insert(.myself) }
                return line
            }
        }
        return FailoverConfirmation(time: time, role: .primary, views: views)
    }

    @Test func failoverConfirmsWithYAndIsFollowedUntilTheFlip() {
        var (state, replica) = replicaSelected()
        press(.character("F"), on: &state)
        guard case .failover(let dialog) = state.dialog else { Issue.record("no dialog"); return }
        #expect(dialog.modes == [.default])
        // Keys meant for the screen behind do nothing while the dialog is open.
        #expect(press(.character("q"), on: &state).isEmpty)
        #expect(state.dialog != nil)

        let effects = press(.character("y"), on: &state)
        #expect(state.dialog == nil)
        #expect(effects.contains(.sendFailover(mode: .default, replicaAddress: replica.address.description)))
        #expect(effects.contains { if case .journal(let draft) = $0 { draft.outcome == .started } else { false } })
        #expect(state.operations.isBusy)

        let before = state.snapshot!
        let flip = Reducer.reduce(&state, .snapshotArrived(flipped(before, promote: replica.id, at: state.now + 0.4), []))
        // The flip in a snapshot only prompts asking the nodes; success needs their answers, twice.
        #expect(state.operations.isBusy)
        #expect(!flip.contains { if case .journal = $0 { true } else { false } })
        Reducer.reduce(&state, .failoverConfirmation(replicaId: replica.id, agreed(before, promote: replica.id, at: state.now + 0.5)))
        #expect(state.operations.isBusy)
        let done = Reducer.reduce(&state, .failoverConfirmation(replicaId: replica.id, agreed(before, promote: replica.id, at: state.now + 0.9)))
        #expect(!state.operations.isBusy)
        #expect(state.status?.contains("is primary") == true)
        #expect(done.contains { if case .journal(let draft) = $0 { draft.outcome == .succeeded } else { false } })
    }

    @Test func aTimedOutDefaultOffersForceWhichNeedsTheTypedWord() {
        var (state, replica) = replicaSelected()
        press(.character("F"), .character("y"), on: &state)
        var late = state.snapshot!
        late.time = state.now + FailoverTracking.defaultTimeout + 1
        let effects = Reducer.reduce(&state, .snapshotArrived(late, []))
        #expect(effects.contains { if case .journal(let draft) = $0 { draft.outcome == .failed } else { false } })
        #expect(state.operations.defaultFailed.contains(replica.id))

        press(.character("F"), on: &state)
        guard case .failover(let dialog) = state.dialog else { Issue.record("no dialog"); return }
        #expect(dialog.modes == [.default, .force, .takeover])
        press(.tab, on: &state)
        // y is text now, not a confirmation.
        #expect(press(.character("y"), .enter, on: &state).isEmpty)
        #expect(state.status?.contains("type FORCE") == true)
        press(.backspace, on: &state)
        type("FORCE", on: &state)
        let sent = press(.enter, on: &state)
        #expect(sent.contains(.sendFailover(mode: .force, replicaAddress: replica.address.description)))
    }

    @Test func rejectedFailoverEndsTheTrackingAndSaysWhy() {
        var (state, replica) = replicaSelected()
        press(.character("F"), .character("y"), on: &state)
        _ = Reducer.reduce(&state, .failoverRejected(replicaAddress: replica.address.description, reason: "rejected: ERR You should send CLUSTER FAILOVER to a replica"))
        #expect(!state.operations.isBusy)
        #expect(state.status?.contains("rejected") == true)
    }

    @Test func readOnlyDisablesEveryActionKeyAndSaysWhy() {
        var (state, _) = replicaSelected()
        state.readOnly = true
        for key in ["F", "M"] {
            #expect(press(.character(Character(key)), on: &state).isEmpty)
            #expect(state.dialog == nil)
            #expect(state.status?.contains("read-only") == true)
        }
        state.screen = .slots
        press(.character("m"), on: &state)
        #expect(state.slots.selectionAnchor == nil)
        #expect(state.status?.contains("read-only") == true)
        // Every destructive binding says why it is off.
        for binding in Bindings.all where binding.danger == .destructive {
            #expect(binding.disabledReason(state) != nil, "\(binding.label) is not disabled in read-only mode")
        }
    }

    @Test func slotRangeSelectionPlansSurveysPreviewsAndStarts() throws {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .slots)
        state.slots.cursor = 10
        press(.character("m"), on: &state)
        #expect(state.slots.selectionAnchor == 10)
        state.slots.cursor = 30
        press(.character("m"), on: &state)
        guard case .migration(let dialog) = state.dialog else { Issue.record("no dialog"); return }
        #expect(dialog.source == .slots([SlotRange(10, 30)]))
        let owner = state.snapshot!.slotOwners[10]
        // Pick a target that does not own the range.
        while case .migration(let d) = state.dialog, d.targetId == owner { press(.character("j"), on: &state) }
        let effects = press(.enter, on: &state)
        guard case .surveyMigration(let plans, let id) = effects.first else { Issue.record("no survey: \(effects)"); return }
        #expect(plans.first?.slots == Array(10...30))
        // An answer to another request (a dialog closed meanwhile) is not taken.
        _ = Reducer.reduce(&state, .migrationSurveyed([], id: id + 1))
        guard case .migration(let waiting) = state.dialog, waiting.stage == .surveying else { Issue.record("took a stale survey"); return }

        _ = Reducer.reduce(&state, .migrationSurveyed(plans, id: id))
        guard case .migration(let preview) = state.dialog, case .preview = preview.stage else { Issue.record("no preview"); return }
        let started = press(.character("y"), on: &state)
        #expect(started == [.startMigration(plans)])
        #expect(state.operations.migration != nil)

        // One operation at a time: no failover or second migration while this one runs.
        state.screen = .nodes
        #expect(press(.character("F"), on: &state).isEmpty)
        #expect(state.status?.contains("a migration is running") == true)
        // q cancels first and quits once the engine reports it stopped.
        #expect(press(.character("q"), on: &state) == [.cancelMigration])
        #expect(state.operations.migration?.quitWhenDone == true)
        state.operations.migration?.quitWhenDone = false
        state.operations.migration?.cancelling = false
        #expect(press(.character("P"), on: &state) == [.pauseMigration(true)])
        #expect(press(.character("X"), on: &state) == [.cancelMigration])
        _ = Reducer.reduce(&state, .migrationFinished("migration cancelled after 16 slots; no slot left open", succeeded: false))
        #expect(state.operations.migration == nil)
        // With nothing running, P and X explain themselves instead of acting.
        #expect(press(.character("X"), on: &state).isEmpty)
        #expect(state.status?.contains("no migration is running") == true)
    }

    @Test func migrationIsRefusedWhileTheClusterHasOtherProblems() {
        var state = ScreenFixtures.openSlots(width: 100, height: 30, screen: .nodes)
        state.nodes.selected = NodesScreenModel.rows(state).firstIndex { $0.isPrimary && $0.slotCount > 0 }!
        press(.character("M"), on: &state)
        press(.enter, on: &state)
        guard case .migration(let dialog) = state.dialog, case .refused(let reasons) = dialog.stage else { Issue.record("not refused"); return }
        #expect(reasons.joined().contains("open"))
    }

    /// Three primaries, one of them empty: `B` on the balance screen has something to do.
    static func unbalanced() -> AppState {
        var members = ScreenFixtures.cluster(primaries: 3, replicas: 1)
        members[0].slots = [SlotRange(0, 10_999)]
        members[1].slots = [SlotRange(11_000, 16_383)]
        members[2].slots = []
        return ScreenFixtures.state(ScreenFixtures.reports(members), width: 100, height: 30, screen: .balance)
    }

    @Test func rebalancePlansSurveysPreviewsAndStartsThroughTheMigrationEngine() throws {
        var state = Self.unbalanced()
        let biggest = try #require(state.snapshot?.primaries.max { $0.slotCount < $1.slotCount })
        let effects = press(.character("B"), on: &state)
        guard case .surveyMigration(let plans, let id) = effects.first else { Issue.record("no survey: \(effects)"); return }
        #expect(plans.allSatisfy { $0.sourceId == biggest.id }, "every move comes from the primary with 11000 slots")
        #expect(plans.reduce(0) { $0 + $1.slots.count } == 11_000 - 5461, "down to its share, and no further")
        guard case .migration(let dialog) = state.dialog, dialog.stage == .surveying, case .rebalance = dialog.source else { Issue.record("no dialog"); return }

        _ = Reducer.reduce(&state, .migrationSurveyed(plans, id: id))
        guard case .migration(let preview) = state.dialog, case .preview = preview.stage else { Issue.record("no preview"); return }
        #expect(press(.character("y"), on: &state) == [.startMigration(plans)])
        #expect(state.operations.migration != nil)
        // While it runs, B is refused like every other action key.
        #expect(press(.character("B"), on: &state).isEmpty)
        #expect(state.status?.contains("a migration is running") == true)
    }

    @Test func rebalanceOnABalancedClusterSaysSoAndOnABrokenOneRefuses() {
        var balanced = ScreenFixtures.healthy(width: 100, height: 30, screen: .balance)
        #expect(press(.character("B"), on: &balanced).isEmpty)
        #expect(balanced.dialog == nil)
        #expect(balanced.status?.contains("nothing to move") == true)

        var broken = ScreenFixtures.openSlots(width: 100, height: 30, screen: .balance)
        #expect(press(.character("B"), on: &broken).isEmpty)
        guard case .migration(let dialog) = broken.dialog, case .refused(let reasons) = dialog.stage else { Issue.record("not refused"); return }
        #expect(reasons.first?.hasPrefix("refusing to rebalance") == true)
    }

    @Test func escapeClosesAnyDialogWithoutSending() {
        var (state, _) = replicaSelected()
        press(.character("F"), on: &state)
        #expect(press(.escape, on: &state).isEmpty)
        #expect(state.dialog == nil)
        #expect(state.status == "cancelled: nothing was sent")
    }
}
