import ShardtopCore

/// Every node in one sortable, filterable table; Enter opens everything known about one node.
/// Rows come from `NodesScreenModel`, so the highlighted row is the node the reducer acts on.
enum NodesScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard let snapshot = state.snapshot else { return }
        if state.nodes.detailOpen, let node = NodesScreenModel.selectedNode(state) {
            NodeDetailView.draw(into: &grid, area: area, node: node, state: state)
            return
        }
        let rows = NodesScreenModel.rows(state)
        let columns = visibleColumns(snapshot: snapshot, width: area.width - 1, widestAddress: state.views?.addressWidth)
        let top = area.y + 2
        let visible = area.maxY - top
        let selected = min(state.nodes.selected, max(0, rows.count - 1))
        let start = scrollStart(selected: selected, count: rows.count, visible: visible)
        // Where the view is in a long list, right-aligned; the summary gives way to it.
        let position = rows.count > visible ? "rows \(start + 1)-\(min(rows.count, start + visible)) of \(rows.count)" : ""
        let positionWidth = position.unicodeScalars.count
        grid.put(position, x: area.x + area.width - positionWidth - 1, y: area.y, role: .dim)
        drawSummary(&grid, area: Rect(x: area.x, y: area.y, width: area.width - positionWidth - 2, height: 1),
                    state: state, shown: rows.count, total: snapshot.nodes.count)
        guard area.height > 2 else { return }
        drawHeader(&grid, area: area, columns: columns, state: state)

        guard !rows.isEmpty else {
            let text = snapshot.nodes.isEmpty ? "no nodes in this snapshot" : "no node matches \"\(state.nodes.filter.text)\" (Esc clears)"
            grid.put(text, x: area.x + 1, y: top, role: .dim, maxWidth: area.width - 2)
            return
        }
        for (offset, node) in rows[start..<min(rows.count, start + visible)].enumerated() {
            let y = top + offset
            drawRow(&grid, x: area.x + 1, y: y, node: node, columns: columns, failover: state.operations.failovers[node.id])
            if start + offset == selected { grid.paint(x: area.x, y: y, width: area.width, role: .selected) }
        }
    }

    /// The scroll position is derived, not stored: the selection sits mid-screen once the list
    /// is longer than the view, so the same state always draws the same frame.
    static func scrollStart(selected: Int, count: Int, visible: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        return min(max(0, selected - visible / 2), count - visible)
    }

    private static func drawSummary(_ grid: inout Grid, area: Rect, state: AppState, shown: Int, total: Int) {
        let arrow = state.nodes.ascending ? "ascending" : "descending"
        var x = grid.put(" \(shown) of \(total) nodes  sorted by \(NodesScreenModel.title(state.nodes.sortColumn).lowercased()) \(arrow)",
                         x: area.x, y: area.y, role: .dim, maxWidth: area.width)
        let end = area.x + area.width
        let filter = state.nodes.filter
        if !filter.text.isEmpty || filter.editing {
            x = grid.put("  filter ", x: x, y: area.y, role: .dim, maxWidth: end - x)
            grid.put("\"\(filter.text)\"", x: x, y: area.y, role: .input, maxWidth: end - x)
        }
    }

    private static func drawHeader(_ grid: inout Grid, area: Rect, columns: [Column], state: AppState) {
        var x = area.x + 1
        let y = area.y + 1
        for column in columns {
            var title = NodesScreenModel.title(column.id)
            // ASCII marks, so the ascii glyph set needs no stand-in.
            if column.id == state.nodes.sortColumn { title += state.nodes.ascending ? "^" : "v" }
            grid.put(Format.cell(title, column.width, right: column.right), x: x, y: y, role: .header)
            x += column.width + 1
        }
    }

    private static func drawRow(_ grid: inout Grid, x: Int, y: Int, node: SnapshotNode, columns: [Column], failover: FailoverTracking?) {
        var x = x
        for column in columns {
            var (text, role) = column.value(node)
            // A failover being followed shows inline, in the health cell, until it ends.
            if column.id == .health, let failover, !failover.phase.isFinished { (text, role) = ("failover..", .warning) }
            // Numbers of a node we cannot reach are the last ones we saw: dim them so nobody trusts them.
            if !node.isReachable && role == .normal { role = .dim }
            grid.put(Format.cell(text, column.width, right: column.right), x: x, y: y, role: role)
            x += column.width + 1
        }
    }

    // MARK: - Columns

    struct Column {
        var id: NodeColumn
        var width: Int
        var right: Bool
        var value: (SnapshotNode) -> (String, StyleRole)
    }

    /// Columns in `NodeColumn` order, keeping only those that fit: the rightmost go first.
    /// `widestAddress` is the cached longest address (SnapshotViews), measured here when not given.
    static func visibleColumns(snapshot: ClusterSnapshot, width: Int, widestAddress: Int? = nil) -> [Column] {
        let widest = widestAddress ?? snapshot.nodes.map { $0.address.description.unicodeScalars.count }.max() ?? 0
        let addressWidth = min(28, max(8, widest))
        var result: [Column] = []
        var used = 0
        for id in NodeColumn.allCases {
            let column = column(id, addressWidth: addressWidth)
            guard used + column.width <= width else { break }
            result.append(column)
            used += column.width + 1
        }
        return result
    }

    static func column(_ id: NodeColumn, addressWidth: Int) -> Column {
        func plain(_ width: Int, right: Bool = true, _ text: @escaping (SnapshotNode) -> String) -> Column {
            Column(id: id, width: width, right: right) { (text($0), .normal) }
        }
        switch id {
        case .address: return plain(addressWidth, right: false) { "\($0.address)" }
        case .role: return Column(id: id, width: 7, right: false) { ($0.role.rawValue, $0.isPrimary ? .primary : .replica) }
        case .primary: return plain(8, right: false) { Format.shortID($0.primaryId) }
        case .health: return Column(id: id, width: 11, right: false) { (ScreenText.health($0.health), ScreenText.healthRole($0.health)) }
        case .slots: return plain(6) { $0.isPrimary ? "\($0.slotCount)" : "-" }
        case .keys: return plain(6) { Format.count($0.keys) }
        case .ops: return plain(6) { Format.count($0.opsPerSec) }
        case .memory: return plain(7) { Format.bytes($0.usedMemory) }
        case .cpu: return plain(4) { Format.percent($0.cpuPercent) }
        case .clients: return plain(4) { Format.count($0.clients) }
        case .offset: return plain(10) { $0.replicationOffset.map { "\($0)" } ?? "?" }
        case .lagBytes: return plain(7) { $0.isPrimary ? "-" : Format.bytes($0.lagBytes) }
        case .lagSeconds: return plain(5) { $0.isPrimary ? "-" : Format.lagSeconds($0.lagSeconds) }
        case .link: return Column(id: id, width: 8, right: false) { ScreenText.link($0) }
        case .flags: return plain(14, right: false) { $0.flags.joined(separator: ",") }
        case .version: return plain(8, right: false) { $0.version ?? "?" }
        }
    }
}
