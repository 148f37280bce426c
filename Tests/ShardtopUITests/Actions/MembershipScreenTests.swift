import ShardtopCore
import Testing
@testable import ShardtopUI

/// The add / remove / forget / replace dialogs and their progress line, as recorded screens.
@Suite struct MembershipScreenTests: ReducerDriving {
    /// 3x1 with one replica dead (killed, marked failed by the others): a ghost to forget or replace.
    static func deadReplica(width: Int, height: Int, screen: ScreenID) -> AppState {
        let members = ScreenFixtures.cluster(primaries: 3, replicas: 1)
        let dead = members[4].id
        return ScreenFixtures.state(ScreenFixtures.reports(members, silent: [dead], failed: [dead]), width: width, height: height, screen: screen)
    }

    @Test func addNodePrompt() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        select(&state) { $0.isPrimary }
        press(.character("A"), on: &state)
        type("10.0.9.9:7100", on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-add-prompt-100x30")
    }

    @Test func addNodePreview() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        select(&state) { $0.isPrimary }
        press(.character("A"), on: &state)
        type("10.0.9.9:7100", on: &state)
        press(.enter, on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-add-preview-100x30")
    }

    @Test func labAddAsEmptyPrimary() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        state.labAddresses = Set(state.snapshot!.nodes.map(\.address.description))
        select(&state) { $0.isPrimary }
        press(.character("N"), .tab, .enter, on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-lab-add-primary-100x30")
    }

    @Test func removeLastReplicaNeedsTypedWords() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        select(&state) { !$0.isPrimary }
        press(.character("D"), on: &state)
        type("remove the last", on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-remove-replica-typed-100x30")
    }

    @Test func removeSlotOwnerOffersDrain() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        select(&state) { $0.isPrimary }
        press(.character("D"), on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-remove-offer-drain-100x30")
        press(.character("y"), on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-remove-drain-preview-100x30")
    }

    @Test func forgetGhostsFromOverview() {
        var state = Self.deadReplica(width: 100, height: 30, screen: .overview)
        press(.character("f"), on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-forget-preview-100x30")
    }

    @Test func replaceInLab() {
        var state = Self.deadReplica(width: 100, height: 30, screen: .nodes)
        state.labAddresses = Set(state.snapshot!.nodes.map(\.address.description))
        select(&state) { $0.health == .fail }
        press(.character("R"), on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-replace-prompt-100x30")
        press(.enter, on: &state)
        assertScreen(DashboardRenderer.render(state), named: "membership-replace-preview-100x30")
    }

    @Test func progressOnTheOperationsBar() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .nodes)
        select(&state) { $0.isPrimary }
        press(.character("A"), on: &state)
        type("10.0.9.9:7100", on: &state)
        press(.enter, .enter, on: &state)
        _ = Reducer.reduce(&state, .membershipProgress("join: 4/6 nodes know the new node, it does not yet know them all"))
        assertScreen(DashboardRenderer.render(state), named: "membership-progress-100x30")
    }
}
