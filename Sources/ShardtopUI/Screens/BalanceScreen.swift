/// Placeholder until the screen is drawn.
enum BalanceScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        grid.put("BalanceScreen", x: 1, y: area.y, role: .dim)
    }
}
