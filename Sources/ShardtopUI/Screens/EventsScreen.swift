/// Placeholder until the screen is drawn.
enum EventsScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        grid.put("EventsScreen", x: 1, y: area.y, role: .dim)
    }
}
