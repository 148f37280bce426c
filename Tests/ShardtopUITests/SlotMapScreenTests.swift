import Foundation
import ShardtopCore
import Testing
@testable import ShardtopUI

@Suite struct SlotMapScreenTests {
    /// Map cells only (not the legend or cursor line): rows under the overlay title, right of the labels.
    func mapCells(_ grid: Grid, state: AppState) -> [Cell] {
        let perCell = SlotMapLayout.slotsPerCell(width: state.width, height: state.height)
        let columns = SlotMapLayout.columns(width: state.width)
        let rows = ((hashSlotCount + perCell - 1) / perCell + columns - 1) / columns
        var cells: [Cell] = []
        for y in 3..<(3 + rows) {
            for x in SlotMapLayout.labelWidth..<(SlotMapLayout.labelWidth + columns) { cells.append(grid[x, y]) }
        }
        return cells
    }

    func cursorLine(_ grid: Grid) -> String {
        grid.lines.first { $0.hasPrefix(" slots ") } ?? ""
    }

    @Test(arguments: [(60, 16), (80, 24), (120, 40)])
    func everyShardColourAppears(width: Int, height: Int) {
        for state in [ScreenFixtures.healthy(width: width, height: height, screen: .slots),
                      ScreenFixtures.hundredNodes(width: width, height: height, screen: .slots)] {
            let cells = mapCells(DashboardRenderer.render(state), state: state)
            let shards = state.snapshot!.shards.count
            for index in 0..<min(8, shards) {
                #expect(cells.contains { $0.role == .shard(index) && $0.scalar == Glyphs.unicode.full }, "shard \(index) of \(shards)")
            }
            // The cursor sits on slot 0; every other cell is owned, so nothing shows as uncovered.
            #expect(!cells.contains { $0.role == .slotUncovered })
        }
    }

    @Test(arguments: [(60, 16), (80, 24), (120, 40)])
    func cursorLineNamesTheOwnerOfTheFirstAndLastSlot(width: Int, height: Int) {
        var state = ScreenFixtures.hundredNodes(width: width, height: height, screen: .slots)
        let snapshot = state.snapshot!
        let first = snapshot.node(id: snapshot.slotOwners[0]!)!
        let last = snapshot.node(id: snapshot.slotOwners[hashSlotCount - 1]!)!
        #expect(first.id != last.id)

        var line = cursorLine(DashboardRenderer.render(state))
        #expect(line.hasPrefix(" slots 0-"))
        #expect(line.contains("owner \(first.address) (\(first.id.prefix(8)))"))

        _ = Reducer.handle(key: .character("G"), state: &state)
        line = cursorLine(DashboardRenderer.render(state))
        #expect(line.contains("-16383 "))
        #expect(line.contains("owner \(last.address) (\(last.id.prefix(8)))"))
        #expect(!line.contains(first.address.description + " "))
    }

    @Test(arguments: SlotMapView.Overlay.allCases)
    func openSlotsAreMarkedInEveryOverlay(overlay: SlotMapView.Overlay) {
        var state = ScreenFixtures.openSlots(width: 80, height: 24, screen: .slots)
        state.slots.overlay = overlay
        var cells = mapCells(DashboardRenderer.render(state), state: state)
        #expect(cells.contains { $0.role == .slotMigrating && $0.scalar == Glyphs.unicode.migrating })

        // Slots 100-101 move from 10.0.0.1:7000 to 10.0.1.2:7001; the cursor line names the target.
        state.slots.cursor = 100
        var line = cursorLine(DashboardRenderer.render(state))
        #expect(line.contains("open 100-101 \(Glyphs.unicode.migrating) 10.0.1.2:7001"))

        // Half open: only the importing mark is left. The map and the cursor line show it.
        state.snapshot!.openSlots.removeAll { $0.state == .migrating }
        line = cursorLine(DashboardRenderer.render(state))
        #expect(line.contains("open 100-101 \(Glyphs.unicode.importing) 10.0.0.1:7000"))
        state.slots.cursor = 0
        cells = mapCells(DashboardRenderer.render(state), state: state)
        #expect(cells.contains { $0.role == .slotImporting && $0.scalar == Glyphs.unicode.importing })
    }

    @Test func openOverlayDimsEverythingThatIsNotOpen() {
        var state = ScreenFixtures.openSlots(width: 80, height: 24, screen: .slots)
        state.slots.overlay = .open
        state.slots.cursor = hashSlotCount - 1
        let cells = mapCells(DashboardRenderer.render(state), state: state)
        let marked = cells.filter { $0.role != .dim && $0.role != .cursor && $0.role != .normal }
        #expect(marked.count == 1)
        #expect(!cells.contains { $0.scalar == Glyphs.unicode.full })
    }

    @Test func uncoveredSlotsAreMarked() {
        var state = ScreenFixtures.healthy(width: 80, height: 24, screen: .slots)
        state.snapshot!.slotOwners[5000] = nil
        var grid = DashboardRenderer.render(state)
        #expect(mapCells(grid, state: state).contains { $0.role == .slotUncovered && $0.scalar == Glyphs.unicode.uncovered })
        #expect(grid.lines.contains { $0.contains("uncovered 1") })

        state.slots.cursor = 5000
        grid = DashboardRenderer.render(state)
        #expect(cursorLine(grid).contains("1 uncovered"))
    }

    @Test func keysOverlaySaysWhenThereAreNoCountsAndShadesWhenThereAre() {
        var state = ScreenFixtures.healthy(width: 80, height: 24, screen: .slots)
        state.slots.overlay = .keys
        #expect(DashboardRenderer.render(state).line(2).contains("no key counts yet"))

        state.slots.keysPerSlot = [0: 10, 16383: 1000]
        state.slots.cursor = 8000
        let cells = mapCells(DashboardRenderer.render(state), state: state)
        #expect(cells.first?.scalar == Glyphs.unicode.levels[0])
        #expect(cells.contains { $0.scalar == Glyphs.unicode.levels.last! && $0.role == .shard(2) })
    }

    @Test func legendOfFiftyShardsFitsAndCountsTheRest() {
        for (width, height) in [(60, 16), (80, 24), (120, 40)] {
            let state = ScreenFixtures.hundredNodes(width: width, height: height, screen: .slots)
            let lines = DashboardRenderer.render(state).lines
            #expect(lines.contains { $0.contains("uncovered 0") && $0.contains("migrating 0") })
            #expect(lines.contains { $0.range(of: #"\+\d+ more"#, options: .regularExpression) != nil })
        }
    }

    @Test(arguments: [(60, 16), (80, 24), (120, 40)])
    func asciiGlyphSetYieldsOnlyASCII(width: Int, height: Int) {
        for make in [ScreenFixtures.openSlots, ScreenFixtures.hundredNodes] {
            for overlay in SlotMapView.Overlay.allCases {
                var state = make(width, height, .slots)
                state.slots.overlay = overlay
                state.slots.keysPerSlot = [1: 5, 9000: 50, 16000: 500]
                state.snapshot!.slotOwners[12000] = nil
                let grid = DashboardRenderer.render(state, glyphs: .ascii)
                #expect(grid.cells.allSatisfy { $0.scalar.isASCII })
                #expect(grid.cells.contains { $0.scalar == Glyphs.ascii.uncovered && $0.role == .slotUncovered })
            }
        }
    }
}
