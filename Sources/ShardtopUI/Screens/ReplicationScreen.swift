/// Placeholder until the screen is drawn.
enum ReplicationScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        grid.put("ReplicationScreen", x: 1, y: area.y, role: .dim)
    }
}
