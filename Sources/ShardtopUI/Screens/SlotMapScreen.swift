/// Placeholder until the screen is drawn.
enum SlotMapScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        grid.put("SlotMapScreen", x: 1, y: area.y, role: .dim)
    }
}
