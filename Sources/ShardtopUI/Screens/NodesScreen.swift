/// Placeholder until the screen is drawn.
enum NodesScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        grid.put("NodesScreen", x: 1, y: area.y, role: .dim)
    }
}
