import ShardtopCore

/// What changed, newest first: the answer to "what just happened?" during an incident.
enum EventsScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard area.height > 2 else { return }
        let events = filtered(state)
        drawSummary(&grid, area: area, state: state, shown: events.count)

        let x = area.x + 1
        guard !events.isEmpty else {
            let text = state.events.isEmpty
                ? "no events yet \(ScreenText.dash(glyphs)) they appear as the cluster changes"
                : "no event matches \"\(state.eventFilter.text)\" (Esc clears)"
            grid.put(text, x: x, y: area.y + 2, role: .dim, maxWidth: area.width - 2)
            return
        }
        let nodeWidth = min(21, max(8, state.snapshot?.nodes.map { $0.address.description.unicodeScalars.count }.max() ?? 0))
        // The kind repeats what the message says; only wide terminals have room for it.
        let kindWidth = area.width >= 110 ? 21 : 0
        drawHeader(&grid, x: x, y: area.y + 1, nodeWidth: nodeWidth, kindWidth: kindWidth)

        // Long messages (an error reason at the end, say) wrap onto up to three lines rather than lose their tail.
        let messageX = x + 8 + 1 + 7 + 1 + nodeWidth + 1 + (kindWidth > 0 ? kindWidth + 1 : 0)
        let messageWidth = max(1, area.x + area.width - 1 - messageX)
        var rows = area.height - 2
        var y = area.y + 2
        var shown = 0
        let index = state.nodeIndex
        // Keep the highlighted entry on screen: start far enough down the list (rows are 1-3 lines).
        let selected = min(state.eventSelected, events.count - 1)
        let first = max(0, selected - max(0, rows / 2))
        let skipped = selected >= rows - 1 ? first : 0
        for (position, event) in events.enumerated().dropFirst(skipped) {
            let message = ScreenText.wrap(event.message, width: messageWidth, maxLines: 3)
            // Keep the last row for "+N older" while any event is left out.
            let available = rows - (shown + 1 < events.count ? 1 : 0)
            guard available > 0, message.count <= available || shown == 0 else { break }
            var column = grid.put(Format.clock(event.time), x: x, y: y, role: .dim) + 1
            column = grid.put(Format.cell(event.severity.rawValue, 7), x: column, y: y, role: role(event.severity)) + 1
            column = grid.put(Format.cell(nodeText(event.node, index), nodeWidth), x: column, y: y) + 1
            if kindWidth > 0 { grid.put(Format.cell(event.kind.rawValue, kindWidth), x: column, y: y, role: .dim) }
            let lines = message.prefix(available)
            for (offset, line) in lines.enumerated() {
                grid.put(line, x: messageX, y: y + offset, maxWidth: messageWidth)
            }
            if position == selected {
                for offset in 0..<max(1, lines.count) { grid.paint(x: x, y: y + offset, width: area.width - 2, role: .selected) }
            }
            y += max(1, lines.count)
            rows -= max(1, lines.count)
            shown += 1
        }
        ScreenText.more(&grid, hidden: events.count - shown - skipped, x: x, y: y, width: area.width - 2, noun: "older")
    }

    /// Newest first, through the filter (kind, node id or address, message).
    static func filtered(_ state: AppState) -> [ClusterEvent] {
        guard !state.eventFilter.text.isEmpty else { return state.events.reversed() }
        let index = state.nodeIndex
        return state.events.reversed().filter { event in
            let address = event.node.flatMap { index.node(id: $0) }.map { "\($0.address)" } ?? ""
            return state.eventFilter.matches(event.kind.rawValue, event.node ?? "", address, event.message)
        }
    }

    /// The address when the node is still in the snapshot (what operators recognise), else its short id.
    static func nodeText(_ id: String?, _ index: NodeIndex) -> String {
        guard let id else { return "cluster" }
        return index.node(id: id).map { "\($0.address)" } ?? Format.shortID(id)
    }

    static func role(_ severity: ClusterEvent.Severity) -> StyleRole {
        switch severity {
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
    }

    private static func drawSummary(_ grid: inout Grid, area: Rect, state: AppState, shown: Int) {
        let end = area.x + area.width
        var x = grid.put(" \(state.events.count) events, newest first", x: area.x, y: area.y, role: .dim, maxWidth: area.width)
        let filter = state.eventFilter
        guard !filter.text.isEmpty || filter.editing else { return }
        x = grid.put("  filter ", x: x, y: area.y, role: .dim, maxWidth: end - x)
        x = grid.put("\"\(filter.text)\"", x: x, y: area.y, role: .input, maxWidth: end - x)
        grid.put("  \(shown) match", x: x, y: area.y, role: .dim, maxWidth: end - x)
    }

    private static func drawHeader(_ grid: inout Grid, x: Int, y: Int, nodeWidth: Int, kindWidth: Int) {
        var column = grid.put(Format.cell("TIME", 8), x: x, y: y, role: .header) + 1
        column = grid.put(Format.cell("LEVEL", 7), x: column, y: y, role: .header) + 1
        column = grid.put(Format.cell("NODE", nodeWidth), x: column, y: y, role: .header) + 1
        if kindWidth > 0 { column = grid.put(Format.cell("KIND", kindWidth), x: column, y: y, role: .header) + 1 }
        grid.put("MESSAGE", x: column, y: y, role: .header)
    }
}
