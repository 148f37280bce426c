import ShardtopCore
import Testing
@testable import ShardtopUI

/// Keys in, state and effects out: the reducer is pure, so every interaction is a plain assertion.
@Suite struct ReducerTests: ReducerDriving {
    @Test func sortKeyCyclesThroughEveryColumnAndWraps() {
        var state = ScreenFixtures.healthy(width: 80, height: 24, screen: .nodes)
        #expect(state.nodes.sortColumn == .address)
        press(.character("s"), on: &state)
        #expect(state.nodes.sortColumn == .role)
        #expect(state.status == "sorted by ROLE")
        for _ in 1..<NodeColumn.allCases.count { press(.character("s"), on: &state) }
        #expect(state.nodes.sortColumn == .address)

        press(.character("r"), on: &state)
        #expect(!state.nodes.ascending)
        let addresses = NodesScreenModel.rows(state).map(\.address)
        #expect(addresses == addresses.sorted(by: >))
    }

    @Test func filterTypingThenEnterKeepsItAndEscClearsIt() {
        var state = ScreenFixtures.healthy(width: 80, height: 24, screen: .nodes)
        press(.character("/"), on: &state)
        #expect(state.nodes.filter.editing)
        // While typing, bound keys are text: "q" must not quit.
        #expect(press(.character("q"), on: &state).isEmpty)
        press(.backspace, on: &state)
        type("7003", on: &state)
        #expect(NodesScreenModel.rows(state).count == 1)

        press(.enter, on: &state)
        #expect(!state.nodes.filter.editing)
        #expect(state.nodes.filter.text == "7003")
        #expect(NodesScreenModel.rows(state).count == 1)

        press(.escape, on: &state)
        #expect(state.nodes.filter.text.isEmpty)
        #expect(NodesScreenModel.rows(state).count == 6)

        // Esc while typing cancels the filter outright.
        press(.character("/"), on: &state)
        type("replica", on: &state)
        press(.escape, on: &state)
        #expect(state.nodes.filter == TextFilter())
    }

    @Test func eventFilterIsSeparateFromTheNodeFilter() {
        var state = ScreenFixtures.failedPrimary(width: 80, height: 24, screen: .events)
        press(.character("/"), on: &state)
        type("cluster-state", on: &state)
        press(.enter, on: &state)
        #expect(state.eventFilter.text == "cluster-state")
        #expect(state.nodes.filter.text.isEmpty)
        #expect(EventsScreen.filtered(state).map(\.kind) == [.clusterStateChanged])
        press(.escape, on: &state)
        #expect(state.eventFilter.text.isEmpty)
    }

    @Test func selectionIsClampedWhenNodesDisappear() {
        var state = ScreenFixtures.hundredNodes(width: 80, height: 24, screen: .nodes)
        press(.character("G"), on: &state)
        #expect(state.nodes.selected == 99)
        let smaller = ScreenFixtures.healthy(width: 80, height: 24).snapshot!
        _ = Reducer.reduce(&state, .snapshotArrived(smaller, []))
        #expect(state.nodes.selected == 5)
        #expect(NodesScreenModel.selectedNode(state) != nil)

        let empty = ClusterSnapshot(time: 0, state: "unknown", nodes: [], shards: [], slotOwners: [], openSlots: [], disagreeingNodes: [])
        _ = Reducer.reduce(&state, .snapshotArrived(empty, []))
        #expect(state.nodes.selected == 0)
        #expect(NodesScreenModel.selectedNode(state) == nil)
        press(.down, .character("G"), .up, on: &state)
        #expect(state.nodes.selected == 0)
    }

    @Test func slotCursorMovesByCellsAndRowsWithinTheSlotRange() {
        var state = ScreenFixtures.healthy(width: 80, height: 24, screen: .slots)
        let step = SlotMapLayout.slotsPerCell(width: 80, height: 24)
        let row = SlotMapLayout.columns(width: 80) * step
        press(.left, .up, .pageUp, on: &state)
        #expect(state.slots.cursor == 0)
        press(.right, on: &state)
        #expect(state.slots.cursor == step)
        press(.down, on: &state)
        #expect(state.slots.cursor == step + row)
        press(.character("G"), on: &state)
        #expect(state.slots.cursor == hashSlotCount - 1)
        press(.right, .down, .pageDown, on: &state)
        #expect(state.slots.cursor == hashSlotCount - 1)
        press(.character("g"), on: &state)
        #expect(state.slots.cursor == 0)
        // The nodes selection is untouched by slot-map movement.
        #expect(state.nodes.selected == 0)
    }

    @Test func labKeysAreDisabledWithAReasonOutsideALab() {
        var state = ScreenFixtures.healthy(width: 80, height: 24, screen: .nodes)
        #expect(press(.character("K"), on: &state).isEmpty)
        #expect(state.status == "lab kill: only for nodes started by `shardtop lab`")

        state.readOnly = true
        #expect(press(.character("Z"), on: &state).isEmpty)
        #expect(state.status == "lab pause: read-only mode")

        state.readOnly = false
        let address = NodesScreenModel.selectedNode(state)!.address.description
        state.labAddresses = [address]
        #expect(press(.character("K"), on: &state) == [.labSignal(.kill, address)])
        #expect(press(.character("C"), on: &state) == [.labSignal(.resume, address)])

        state.labAddresses = ["127.0.0.1:1"]
        #expect(press(.character("K"), on: &state).isEmpty)
        #expect(state.status == "lab kill: \(address) was not started by this lab")
    }

    @Test func helpTogglesAndEscapeClosesIt() {
        var state = ScreenFixtures.healthy(width: 80, height: 24)
        press(.character("?"), on: &state)
        #expect(state.showHelp)
        press(.character("?"), on: &state)
        #expect(!state.showHelp)
        press(.function(1), on: &state)
        #expect(state.showHelp)
        press(.escape, on: &state)
        #expect(!state.showHelp)
        press(.character("?"), .character("3"), on: &state)
        #expect(!state.showHelp)
        #expect(state.screen == .slots)
    }

    @Test func plusAndMinusStepTheIntervalAndStopAtTheEnds() {
        var state = ScreenFixtures.healthy(width: 80, height: 24)
        #expect(state.interval == 1)
        #expect(press(.character("+"), on: &state) == [.setInterval(2)])
        #expect(state.status == "refresh every 2s")
        press(.character("-"), .character("-"), on: &state)
        #expect(state.interval == 0.5)
        for _ in 0..<10 { press(.character("-"), on: &state) }
        #expect(state.interval == Reducer.intervals.first)
        for _ in 0..<10 { press(.character("+"), on: &state) }
        #expect(state.interval == Reducer.intervals.last)
    }
}
