import ShardtopCore
import Testing
@testable import ShardtopUI

/// The action dialogs and the operations bar as recorded screens.
@Suite struct ActionScreenTests {
    func replicaSelected(width: Int = 80, height: Int = 24) -> AppState {
        var state = ScreenFixtures.laggingReplica(width: width, height: height, screen: .nodes)
        state.nodes.selected = NodesScreenModel.rows(state).firstIndex { $0.role == .replica && ($0.lagBytes ?? 0) > 0 } ?? 1
        return state
    }

    @Test func failoverPreflightDialog() {
        var state = replicaSelected()
        _ = Reducer.handle(key: .character("F"), state: &state)
        assertScreen(DashboardRenderer.render(state), named: "action-failover-preflight-80x24")
    }

    @Test func forceDialogNamesTheBytesAndWantsTheWord() {
        var state = replicaSelected(width: 100, height: 30)
        let replica = NodesScreenModel.selectedNode(state)!
        state.operations.defaultFailed.insert(replica.id)
        for key: Key in [.character("F"), .tab, .character("F"), .character("O")] { _ = Reducer.handle(key: key, state: &state) }
        assertScreen(DashboardRenderer.render(state), named: "action-failover-force-100x30")
    }

    @Test func rebalancePreview() throws {
        var state = ActionReducerTests.unbalanced()
        let effects = Reducer.handle(key: .character("B"), state: &state)
        guard case .surveyMigration(var plans, let id) = effects.first else { Issue.record("no survey"); return }
        for index in plans.indices { plans[index].keyCount = plans[index].slots.count * 12 }
        _ = Reducer.reduce(&state, .migrationSurveyed(plans, id: id))
        assertScreen(DashboardRenderer.render(state), named: "action-rebalance-preview-100x30")
    }

    @Test func migrationPreviewAndProgress() throws {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .slots)
        let snapshot = try #require(state.snapshot)
        let owner = try #require(snapshot.slotOwners[0])
        let target = try #require(snapshot.primaries.first { $0.id != owner })
        var plan = MigrationPlanner.plan(source: snapshot.node(id: owner)!, target: target, slots: Array(0...99))
        plan.keyCount = 16_000
        plan.bigKeys = [BigKey(key: "user:1:avatar", slot: 3, bytes: 24 << 20)]
        var dialog = MigrationDialog(source: .slots([SlotRange(0, 99)]), targets: [target.id])
        dialog.stage = .preview([plan])
        state.dialog = .migration(dialog)
        assertScreen(DashboardRenderer.render(state), named: "action-migration-preview-100x30")

        _ = Reducer.handle(key: .character("y"), state: &state)
        _ = Reducer.reduce(&state, .migrationProgress(MigrationProgress(
            sourceAddress: plan.sourceAddress, targetAddress: plan.targetAddress, path: .legacy,
            slotsDone: 48, slotsTotal: 100, keysMoved: 7680, elapsedSeconds: 1.5, phase: "moving slots 48-63"
        )))
        assertScreen(DashboardRenderer.render(state), named: "action-migration-progress-100x30")
    }
}
