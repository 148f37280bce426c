import ShardtopCore
import Testing
@testable import ShardtopUI

/// The ACL preflight's answer in the dashboard: a denied kind of action has its keys disabled with
/// the refusal as their reason, the way --read-only disables them all.
@Suite struct ActionAccessTests {
    let denied = "ACL user shardtop-watch may not run CLUSTER FAILOVER on 127.0.0.1:7004 (add +cluster|failover to that user)"
    let deniedMeet = "ACL user shardtop-watch may not run CLUSTER MEET on 127.0.0.1:7001 (add +cluster|meet to that user)"
    let deniedMove = "ACL user shardtop-watch may not run CLUSTER GETKEYSINSLOT on 127.0.0.1:7001 (add +cluster|getkeysinslot to that user)"

    func replicaSelected() -> AppState {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        state.nodes.selected = NodesScreenModel.rows(state).firstIndex { $0.role == .replica }!
        return state
    }

    @Test func deniedFailoverDisablesOnlyFailoverAndSaysWhy() {
        var state = replicaSelected()
        _ = Reducer.reduce(&state, .actionAccessChecked(ActionAccess(failover: denied)))
        #expect(state.status?.contains("failover disabled") == true)
        #expect(Reducer.handle(key: .character("F"), state: &state).isEmpty)
        #expect(state.dialog == nil)
        #expect(state.status == "failover: \(denied)")
        // Moving slots is another kind of action, allowed here.
        state.nodes.selected = NodesScreenModel.rows(state).firstIndex { $0.role == .primary }!
        _ = Reducer.handle(key: .character("M"), state: &state)
        #expect(state.dialog != nil, "\(state.status ?? "")")
    }

    @Test func deniedMembershipDisablesOnlyTheNodeKeys() {
        var state = replicaSelected()
        _ = Reducer.reduce(&state, .actionAccessChecked(ActionAccess(membership: deniedMeet)))
        #expect(state.status == "node changes disabled: \(deniedMeet)")
        for key in ["A", "D", "R"] {
            let binding = Bindings.all.first { $0.scope == .screen(.nodes) && $0.keys.contains(.character(Character(key))) }
            #expect(binding?.disabledReason(state) == deniedMeet, "\(key)")
        }
        state.nodes.selected = NodesScreenModel.rows(state).firstIndex { $0.role == .primary }!
        _ = Reducer.handle(key: .character("M"), state: &state)
        #expect(state.dialog != nil, "moving slots is another kind of action: \(state.status ?? "")")
    }

    @Test func aMonitoringUserHasEveryDestructiveKeyDisabled() {
        var state = replicaSelected()
        _ = Reducer.reduce(&state, .actionAccessChecked(ActionAccess(failover: denied, migration: deniedMove, membership: deniedMeet)))
        for binding in Bindings.all where binding.danger == .destructive && !binding.label.hasPrefix("lab") {
            #expect(binding.disabledReason(state) != nil, "\(binding.label) is not disabled for a monitoring user")
        }
        state.screen = .slots
        _ = Reducer.handle(key: .character("m"), state: &state)
        #expect(state.slots.selectionAnchor == nil)
        #expect(state.status == "select+move: \(deniedMove)")
    }

    @Test func aMoveRefusedByItsOwnCheckIsRefusedInItsDialog() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .slots)
        var surveying = MigrationDialog(source: .slots([SlotRange(0, 10)]), targets: [])
        surveying.stage = .surveying
        state.dialog = .migration(surveying)
        _ = Reducer.reduce(&state, .actionAccessChecked(ActionAccess(migration: deniedMove)))
        guard case .migration(let dialog) = state.dialog, case .refused(let lines) = dialog.stage else { Issue.record("not refused"); return }
        #expect(lines.joined().contains("+cluster|getkeysinslot"))
    }

    @Test func uncheckedCommandsAreSaidButDisableNothing() {
        var state = replicaSelected()
        _ = Reducer.reduce(&state, .actionAccessChecked(ActionAccess(note: "ACL permissions could not be checked for 127.0.0.1:7001 DEL")))
        #expect(state.status?.contains("could not be checked") == true)
        _ = Reducer.handle(key: .character("F"), state: &state)
        #expect(state.dialog != nil)
    }
}
