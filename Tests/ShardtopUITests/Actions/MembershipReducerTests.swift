import ShardtopCore
import Testing
@testable import ShardtopUI

/// What the membership keys open, what confirming asks the app to run, and what is refused
/// before anything is sent. Pure; NodeMembershipTests and MembershipDashboardTests run the real thing.
@Suite struct MembershipReducerTests: ReducerDriving {
    func primarySelected() -> (AppState, SnapshotNode) {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        let primary = select(&state) { $0.isPrimary }
        return (state, primary)
    }

    @Test func addAsReplicaOfTheSelectedPrimaryByDefault() {
        var (state, primary) = primarySelected()
        press(.character("A"), on: &state)
        type("10.0.9.9:7100", on: &state)
        press(.enter, on: &state)
        let effects = press(.character("y"), on: &state)
        #expect(effects == [.startMembership(.add(address: "10.0.9.9:7100", replicaOfId: primary.id))])
        #expect(state.dialog == nil)
        #expect(state.operations.membership != nil)
        // One operation at a time: every action key is now disabled, with the reason.
        press(.character("D"), on: &state)
        #expect(state.dialog == nil)
        #expect(state.status?.contains("is running") == true)
    }

    @Test func tabChoosesAnEmptyPrimary() {
        var (state, _) = primarySelected()
        press(.character("A"), on: &state)
        type("10.0.9.9:7100", on: &state)
        let effects = press(.tab, .enter, .enter, on: &state)
        #expect(effects == [.startMembership(.add(address: "10.0.9.9:7100", replicaOfId: nil))])
    }

    @Test func aBadAddressStaysInThePrompt() {
        var (state, _) = primarySelected()
        press(.character("A"), on: &state)
        type("nothost", on: &state)
        press(.enter, on: &state)
        guard case .membership(let dialog) = state.dialog else { Issue.record("dialog closed"); return }
        #expect(dialog.stage == .input)
        #expect(state.status == "nothost is not host:port")
    }

    @Test func labAddOnlyInALab() {
        var (state, _) = primarySelected()
        press(.character("N"), on: &state)
        #expect(state.dialog == nil)
        #expect(state.status?.contains("only in a lab") == true)
        state.labAddresses = ["10.0.0.1:7000"]
        press(.character("N"), on: &state)
        let effects = press(.enter, .enter, on: &state)
        guard case .startMembership(.add(nil, _)) = effects.first else { Issue.record("no lab add: \(effects)"); return }
    }

    @Test func readOnlyOpensNothing() {
        var (state, _) = primarySelected()
        state.readOnly = true
        for key in ["A", "D", "R"] { press(.character(Character(key)), on: &state) }
        #expect(state.dialog == nil)
    }

    @Test func refusedWhileOtherProblemsExist() {
        var state = ScreenFixtures.failedPrimary(width: 100, height: 30, screen: .nodes)
        state.nodes.selected = NodesScreenModel.rows(state).firstIndex { $0.isPrimary && $0.isReachable }!
        press(.character("A"), on: &state)
        type("10.0.9.9:7100", on: &state)
        press(.enter, on: &state)
        guard case .membership(let dialog) = state.dialog, case .refused(let lines) = dialog.stage else {
            Issue.record("not refused: \(String(describing: state.dialog))"); return
        }
        #expect(lines.first?.contains("refusing to add a node") == true)
        #expect(press(.enter, on: &state).isEmpty)
        #expect(state.dialog == nil)
    }

    @Test func removingTheLastReplicaNeedsTheExactWords() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        let rows = NodesScreenModel.rows(state)
        state.nodes.selected = rows.firstIndex { !$0.isPrimary }!
        let replica = rows[state.nodes.selected]
        let primary = state.snapshot!.node(id: replica.primaryId!)!
        press(.character("D"), on: &state)
        #expect(press(.character("y"), on: &state).isEmpty)  // y is typed, not a yes
        type("es", on: &state)
        #expect(press(.enter, on: &state).isEmpty)
        #expect(state.status?.hasPrefix("type remove the last replica of") == true)
        for _ in 0..<3 { press(.backspace, on: &state) }
        type("remove the last replica of \(primary.address)", on: &state)
        #expect(press(.enter, on: &state) == [.startMembership(.remove(nodeId: replica.id, drain: false))])
    }

    @Test func removingASlotOwnerDrainsWhenAccepted() {
        var (state, primary) = primarySelected()
        press(.character("D"), on: &state)
        press(.character("y"), on: &state)
        #expect(press(.enter, on: &state) == [.startMembership(.remove(nodeId: primary.id, drain: true))])
    }

    @Test func forgetNeedsAGhost() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .overview)
        press(.character("f"), on: &state)
        #expect(state.dialog == nil)
        #expect(state.status?.contains("no ghost") == true)
    }

    @Test func forgetAndReplaceTheDeadReplica() {
        var state = MembershipScreenTests.deadReplica(width: 100, height: 30, screen: .overview)
        let dead = state.snapshot!.nodes.first { $0.health == .fail }!
        press(.character("f"), on: &state)
        #expect(press(.character("y"), on: &state) == [.startMembership(.forget(ids: [dead.id]))])
        _ = Reducer.reduce(&state, .membershipFinished("forgotten", succeeded: true))
        #expect(state.operations.membership == nil)

        state.screen = .nodes
        state.nodes.selected = NodesScreenModel.rows(state).firstIndex { $0.id == dead.id }!
        press(.character("R"), on: &state)
        type("10.0.9.9:7100", on: &state)
        #expect(press(.enter, .enter, on: &state) == [.startMembership(.replace(deadId: dead.id, address: "10.0.9.9:7100"))])
    }

    @Test func replaceRefusesALiveNode() {
        var (state, _) = primarySelected()
        press(.character("R"), on: &state)
        #expect(state.dialog == nil)
        #expect(state.status?.contains("not a failed node") == true)
    }
}
