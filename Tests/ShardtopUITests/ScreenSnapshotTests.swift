import Testing
@testable import ShardtopUI

/// Every screen, for every fixture, at 80x24 and 120x40, as recorded text plus style roles.
@Suite(.serialized) struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    @Test(arguments: ScreenID.allCases)
    func screenMatchesRecordedSnapshots(screen: ScreenID) {
        for fixture in ScreenFixtures.all {
            for (width, height) in Self.sizes {
                let state = fixture.make(width, height, screen)
                let grid = DashboardRenderer.render(state)
                assertScreen(grid, named: "\(screen.title.lowercased().replacingOccurrences(of: " ", with: "-"))-\(fixture.name)-\(width)x\(height)")
            }
        }
    }

    @Test func helpScreenMatchesRecordedSnapshot() {
        var state = ScreenFixtures.healthy(width: 120, height: 40)
        state.showHelp = true
        assertScreen(DashboardRenderer.render(state), named: "help-120x40")
    }

    @Test func tooSmallTerminalSaysSo() {
        let state = ScreenFixtures.healthy(width: 50, height: 12)
        let grid = DashboardRenderer.render(state)
        #expect(grid.lines.contains { $0.contains("terminal too small") })
        assertScreen(grid, named: "too-small-50x12")
    }

    /// --insecure stays in view on every screen, in the error style, before the seed (so a narrow
    /// terminal cuts the seed, not the warning).
    @Test(arguments: ScreenID.allCases)
    func insecureTLSIsWarnedOnEveryScreen(screen: ScreenID) {
        var state = ScreenFixtures.healthy(width: 60, height: 16)
        state.screen = screen
        state.security = .tlsUnverified
        let grid = DashboardRenderer.render(state)
        #expect(grid.lines[0].hasPrefix("shardtop TLS UNVERIFIED (--insecure)"), "\(grid.lines[0])")
        if screen == .overview { assertScreen(grid, named: "insecure-tls-60x16") }
        state.security = .tls
        #expect(DashboardRenderer.render(state).lines[0].hasPrefix("shardtop tls  "))
    }

    @Test func asciiGlyphsForNonUTF8Terminals() {
        let grid = DashboardRenderer.render(ScreenFixtures.healthy(width: 80, height: 24), glyphs: .ascii)
        #expect(grid.cells.allSatisfy { $0.scalar.isASCII })
    }
}
