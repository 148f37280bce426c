import ShardtopCore
import Testing
@testable import ShardtopUI

@Suite struct NodesScreenTests {
    /// The rows painted `.selected` in a rendered frame.
    func selectedLines(_ grid: Grid) -> [String] {
        (0..<grid.height).filter { y in grid[1, y].role == .selected }.map(grid.line)
    }

    @Test(arguments: [(60, 16), (80, 24), (120, 40)])
    func selectedRowStaysVisibleAfterMovingPastTheBottom(width: Int, height: Int) {
        var state = ScreenFixtures.hundredNodes(width: width, height: height, screen: .nodes)
        for _ in 0..<(height + 5) { _ = Reducer.handle(key: .down, state: &state) }
        #expect(state.nodes.selected == height + 5)
        let selected = NodesScreenModel.selectedNode(state)!
        var lines = selectedLines(DashboardRenderer.render(state))
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\(selected.address) ") == true)

        _ = Reducer.handle(key: .character("G"), state: &state)
        lines = selectedLines(DashboardRenderer.render(state))
        #expect(lines.first?.contains("\(NodesScreenModel.rows(state).last!.address) ") == true)
    }

    @Test func filterReducesTheRowsShown() {
        var state = ScreenFixtures.healthy(width: 80, height: 24, screen: .nodes)
        // Table rows start under the summary (body line 0) and the column header (body line 1).
        func tableRows() -> Int {
            DashboardRenderer.render(state).lines.dropFirst(4).dropLast().filter { $0.contains(" 10.0.") }.count
        }
        #expect(tableRows() == 6)
        state.nodes.filter.text = "replica"
        #expect(tableRows() == 3)
        let grid = DashboardRenderer.render(state)
        #expect(grid.line(2).contains("3 of 6 nodes"))
        #expect(grid.line(2).contains("filter \"replica\""))

        state.nodes.filter.text = "no-such-node"
        #expect(tableRows() == 0)
        #expect(DashboardRenderer.render(state).lines.contains { $0.contains("no node matches \"no-such-node\"") })
    }

    @Test func headerMarksTheSortColumnAndDirection() {
        var state = ScreenFixtures.healthy(width: 120, height: 40, screen: .nodes)
        state.nodes.sortColumn = .keys
        state.nodes.ascending = false
        let header = DashboardRenderer.render(state).line(3)
        #expect(header.contains("KEYSv"))
        #expect(!header.contains("ADDRESS^"))
    }

    @Test func narrowTerminalsDropTheRightmostColumns() {
        let narrow = DashboardRenderer.render(ScreenFixtures.healthy(width: 60, height: 16, screen: .nodes)).line(3)
        let wide = DashboardRenderer.render(ScreenFixtures.healthy(width: 120, height: 40, screen: .nodes)).line(3)
        #expect(narrow.contains("ADDRESS") && !narrow.contains("VERSION"))
        #expect(wide.contains("LAGS"))
    }

    @Test(arguments: [(60, 16), (80, 24), (120, 40)])
    func detailViewShowsTheErrorOfAnUnreachableNode(width: Int, height: Int) {
        var state = ScreenFixtures.failedPrimary(width: width, height: height, screen: .nodes)
        let rows = NodesScreenModel.rows(state)
        let victim = try! #require(rows.firstIndex { $0.error != nil })
        state.nodes.selected = victim
        _ = Reducer.handle(key: .enter, state: &state)
        #expect(state.nodes.detailOpen)
        let lines = DashboardRenderer.render(state).lines
        #expect(lines.contains { $0.contains("error") && $0.contains("no reply within 1000 ms") })
        #expect(lines.contains { $0.contains(rows[victim].id) })
        #expect(lines.contains { $0.contains("round trip") })
    }

    @Test func unreachableRowsSayUnreachable() {
        var state = ScreenFixtures.healthy(width: 120, height: 40, screen: .nodes)
        var snapshot = state.snapshot!
        snapshot.nodes[1].health = .unreachable
        snapshot.nodes[1].error = "connection refused"
        state.snapshot = snapshot
        let line = DashboardRenderer.render(state).lines.first { $0.contains("\(snapshot.nodes[1].address) ") }
        #expect(line?.contains("unreachable") == true)
    }
}

/// Every screen stays inside its body rectangle, survives an empty snapshot, and draws only
/// ASCII with the ascii glyph set.
@Suite(.serialized) struct ScreenBoundsTests {
    static let sizes = [(60, 16), (80, 24), (120, 40)]
    static let screens: [ScreenID] = [.nodes, .slots, .replication, .balance, .events, .logs, .capacity]

    /// Variations that take other code paths: the detail view, every overlay.
    static func variants(_ state: AppState) -> [AppState] {
        var detail = state
        detail.nodes.detailOpen = true
        var result = [state, detail]
        for overlay in SlotMapView.Overlay.allCases {
            var variant = state
            variant.slots.overlay = overlay
            variant.slots.keysPerSlot = overlay == .keys ? Dictionary(uniqueKeysWithValues: (0..<2000).map { ($0 * 8, $0 % 37) }) : [:]
            variant.slots.cursor = hashSlotCount - 1
            result.append(variant)
        }
        return result
    }

    static func drawBody(_ state: AppState, glyphs: Glyphs) -> Grid {
        var grid = Grid(width: state.width, height: state.height)
        grid.fill(x: 0, y: 0, width: state.width, height: state.height, scalar: "~", role: .danger)
        let body = Rect(x: 0, y: 2, width: state.width, height: state.height - 3)
        switch state.screen {
        case .nodes: NodesScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        case .slots: SlotMapScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        case .replication: ReplicationScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        case .balance: BalanceScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        case .events: EventsScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        case .overview: OverviewScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        case .logs: LogsScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        case .capacity: CapacityScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
        }
        return grid
    }

    @Test(arguments: screens)
    func screensDrawOnlyInsideTheirArea(screen: ScreenID) {
        for fixture in ScreenFixtures.all {
            for (width, height) in Self.sizes {
                for state in Self.variants(fixture.make(width, height, screen)) {
                    let grid = Self.drawBody(state, glyphs: .unicode)
                    let outside = [0, 1, height - 1].filter { y in (0..<width).contains { grid[$0, y].role != .danger } }
                    #expect(outside.isEmpty, "\(screen) \(fixture.name) \(width)x\(height) drew on rows \(outside)")
                }
            }
        }
    }

    @Test(arguments: screens)
    func screensUseOnlyASCIIWithTheASCIIGlyphs(screen: ScreenID) {
        for fixture in ScreenFixtures.all {
            for (width, height) in Self.sizes {
                for state in Self.variants(fixture.make(width, height, screen)) {
                    let grid = DashboardRenderer.render(state, glyphs: .ascii)
                    #expect(grid.cells.allSatisfy { $0.scalar.isASCII }, "\(screen) \(fixture.name) \(width)x\(height)")
                }
            }
        }
    }

    @Test(arguments: screens)
    func emptySnapshotsDoNotCrash(screen: ScreenID) {
        let empty = ClusterSnapshot(time: 0, state: "unknown", nodes: [], shards: [], slotOwners: [], openSlots: [], disagreeingNodes: [])
        let uncovered = ClusterSnapshot(time: 0, state: "fail", nodes: [], shards: [],
                                        slotOwners: SlotOwners(), openSlots: [], disagreeingNodes: [])
        for snapshot in [empty, uncovered] {
            for (width, height) in Self.sizes {
                var state = AppState()
                state.width = width
                state.height = height
                state.screen = screen
                _ = Reducer.reduce(&state, .snapshotArrived(snapshot, []))
                for variant in Self.variants(state) {
                    let grid = DashboardRenderer.render(variant)
                    #expect(grid.height == height)
                }
            }
        }
    }
}
