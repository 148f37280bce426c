/// Horizontal bars and sparklines drawn into a grid.
public enum Bar {
    /// A bar `width` cells wide showing `fraction` (0...1), eighth-cell precise with Unicode glyphs.
    public static func draw(into grid: inout Grid, x: Int, y: Int, width: Int, fraction: Double, role: StyleRole, glyphs: Glyphs) {
        guard width > 0 else { return }
        let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
        let eighths = Int((clamped * Double(width * 8)).rounded())
        for index in 0..<width {
            let filled = min(8, max(0, eighths - index * 8))
            let scalar: Unicode.Scalar = filled == 8 ? glyphs.full : filled == 0 ? glyphs.empty : glyphs.levels[filled - 1]
            grid[x + index, y] = Cell(scalar, role: filled == 0 ? .barEmpty : role)
        }
    }

    /// The newest `width` values as a sparkline, scaled to the series' own maximum, or to
    /// `ceiling` when given (memory against maxmemory: a flat series then shows its level).
    /// With `fromMinimum`, the scale runs from the series' own minimum to its maximum, so a
    /// series with no natural ceiling (memory without maxmemory) shows its movement instead of
    /// a wall of full cells; a flat series then draws at the lowest level.
    public static func sparkline(into grid: inout Grid, x: Int, y: Int, width: Int, values: [Double], ceiling: Double? = nil, fromMinimum: Bool = false, role: StyleRole = .sparkline, glyphs: Glyphs) {
        guard width > 0 else { return }
        let shown = values.suffix(width)
        let peak = ceiling ?? shown.max() ?? 0
        let floor = fromMinimum && ceiling == nil ? (shown.min() ?? 0) : 0
        let span = peak - floor
        let top = glyphs.levels.count - 1
        var column = x + width - shown.count
        for value in shown {
            let level = span > 0 ? Int((min(value - floor, span) / span * Double(top)).rounded()) : 0
            if grid.contains(x: column, y: y) {
                grid[column, y] = Cell(value > 0 ? glyphs.levels[min(top, level)] : glyphs.levels[0], role: role)
            }
            column += 1
        }
    }
}
