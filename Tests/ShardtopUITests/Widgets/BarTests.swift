import Testing
@testable import ShardtopUI

@Suite struct BarTests {
    private func spark(_ values: [Double], ceiling: Double? = nil, fromMinimum: Bool = false) -> String {
        var grid = Grid(width: values.count, height: 1)
        Bar.sparkline(into: &grid, x: 0, y: 0, width: values.count, values: values, ceiling: ceiling, fromMinimum: fromMinimum, glyphs: .unicode)
        return grid.line(0)
    }

    @Test func seriesWithoutCeilingIsScaledToItsOwnMaximum() {
        // A flat memory series with no maxmemory used to read as a wall of full cells.
        #expect(spark([100, 100, 100]) == "███")
    }

    @Test func fromMinimumShowsMovementNotLevel() {
        #expect(spark([100, 100, 100], fromMinimum: true) == "▁▁▁")
        #expect(spark([100, 150, 200], fromMinimum: true) == "▁▅█")
    }

    @Test func aCeilingWinsOverFromMinimum() {
        // With maxmemory known, the level against it is the figure that matters.
        #expect(spark([50, 50], ceiling: 100, fromMinimum: true) == "▅▅")
    }
}
