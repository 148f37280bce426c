import ShardtopCore

/// Per shard, the primary and then each replica's link, offset and lag, with lag drawn as bars
/// against the thresholds so a replica falling behind stands out before it crosses them.
enum ReplicationScreen {
    enum Line {
        case primary(index: Int, node: SnapshotNode)
        case replica(SnapshotNode)
        case noReplicas
    }

    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard let snapshot = state.snapshot, area.height > 1 else { return }
        let lines = lines(snapshot, nodes: state.nodeIndex)
        guard !lines.isEmpty else {
            grid.put("no shards in this snapshot", x: area.x + 1, y: area.y, role: .dim, maxWidth: area.width - 2)
            return
        }
        let layout = Layout(width: area.width - 1, addressWidth: state.views?.addressWidth ?? snapshot.nodes.map { $0.address.description.unicodeScalars.count }.max() ?? 8)
        drawHeader(&grid, x: area.x + 1, y: area.y, layout: layout)

        // Past the end, the last row says how many lines are hidden. Up/down scroll: the movement
        // keys move the shared node selection, which here is read as a line offset.
        var visible = area.height - 1
        if lines.count > visible { visible -= 1 }
        let start = ScreenText.scrollStart(offset: state.nodes.selected, count: lines.count, visible: visible)
        let end = min(lines.count, start + visible)
        let scales = Scales(worstLagBytes: state.nodeTally.worstLagBytes, thresholds: state.lagThresholds)
        for (row, line) in lines[start..<end].enumerated() {
            drawLine(&grid, line, x: area.x + 1, y: area.y + 1 + row, layout: layout, state: state, scales: scales, glyphs: glyphs)
        }
        ScreenText.more(&grid, hidden: lines.count - end, x: area.x + 1, y: area.y + 1 + visible, width: area.width - 2)
        if start > 0 {
            let text = "\(start) above"
            grid.put(text, x: area.x + area.width - text.unicodeScalars.count - 1, y: area.y, role: .dim)
        }
    }

    static func lines(_ snapshot: ClusterSnapshot, nodes: NodeIndex? = nil) -> [Line] {
        var result: [Line] = []
        let nodes = nodes ?? NodeIndex(snapshot)
        for (index, shard) in snapshot.shards.enumerated() {
            guard let primary = nodes.node(id: shard.primaryId) else { continue }
            result.append(.primary(index: index, node: primary))
            let replicas = shard.replicaIds.compactMap { nodes.node(id: $0) }
            result += replicas.isEmpty ? [.noReplicas] : replicas.map(Line.replica)
        }
        return result
    }

    /// Column widths; the offset column goes first when the terminal is narrow, then bars shrink.
    struct Layout {
        let name: Int
        let link = 11
        let offset: Int
        let lagBytes = 7
        let bytesBar: Int
        let lagSeconds = 4
        let secondsBar: Int
        let history: Int

        init(width: Int, addressWidth: Int) {
            name = 4 + min(21, max(8, addressWidth))
            let fixed = name + 1 + link + 1 + lagBytes + 1 + 1 + lagSeconds + 1 + 1
            offset = width - fixed - 11 >= 20 ? 10 : 0
            let free = max(0, width - fixed - (offset > 0 ? offset + 1 : 0))
            var bytesBar = min(24, max(3, free * 2 / 5))
            var secondsBar = min(12, max(3, free / 4))
            var history = free - bytesBar - secondsBar - 1
            if history < 6 {
                // Too narrow for a useful sparkline: give the space to the bars.
                bytesBar += max(0, history) / 2
                secondsBar += max(0, history) - max(0, history) / 2
                history = 0
            }
            self.bytesBar = bytesBar
            self.secondsBar = secondsBar
            self.history = history
        }
    }

    /// Bars share one scale per column, so lengths compare across replicas.
    struct Scales {
        let bytes: Double
        let seconds: Double
        let thresholds: LagThresholds

        init(worstLagBytes worst: Int64, thresholds: LagThresholds) {
            bytes = Double(max(thresholds.bytes * 2, worst, 1))
            seconds = Double(max(thresholds.seconds * 2, 1))
            self.thresholds = thresholds
        }
    }

    private static func drawHeader(_ grid: inout Grid, x: Int, y: Int, layout: Layout) {
        var x = grid.put(Format.cell("SHARD / NODE", layout.name), x: x, y: y, role: .header) + 1
        x = grid.put(Format.cell("STATE", layout.link), x: x, y: y, role: .header) + 1
        if layout.offset > 0 { x = grid.put(Format.cell("OFFSET", layout.offset, right: true), x: x, y: y, role: .header) + 1 }
        x = grid.put(Format.cell("LAG", layout.lagBytes + 1 + layout.bytesBar), x: x, y: y, role: .header) + 1
        x = grid.put(Format.cell("LAG S", layout.lagSeconds + 1 + layout.secondsBar), x: x, y: y, role: .header) + 1
        if layout.history > 0 { grid.put("HISTORY", x: x, y: y, role: .header, maxWidth: layout.history) }
    }

    private static func drawLine(
        _ grid: inout Grid, _ line: Line, x: Int, y: Int, layout: Layout, state: AppState, scales: Scales, glyphs: Glyphs
    ) {
        switch line {
        case .noReplicas:
            grid.put(Format.cell("", 4) + "no replicas", x: x, y: y, role: .warning, maxWidth: layout.name + 1 + layout.link)
        case .primary(let index, let node):
            var column = grid.put(Format.cell("#\(index + 1)", 4), x: x, y: y, role: .shard(index))
            column = grid.put(Format.cell("\(node.address)", layout.name - 4), x: column, y: y, role: node.health == .ok ? .primary : .error) + 1
            column = grid.put(Format.cell(ScreenText.health(node.health), layout.link), x: column, y: y, role: ScreenText.healthRole(node.health)) + 1
            if layout.offset > 0 { grid.put(Format.cell(node.replicationOffset.map { "\($0)" } ?? "?", layout.offset, right: true), x: column, y: y) }
        case .replica(let node):
            drawReplica(&grid, node, x: x, y: y, layout: layout, state: state, scales: scales, glyphs: glyphs)
        }
    }

    private static func drawReplica(
        _ grid: inout Grid, _ node: SnapshotNode, x: Int, y: Int, layout: Layout, state: AppState, scales: Scales, glyphs: Glyphs
    ) {
        let link = ScreenText.link(node)
        let down = node.primaryLinkStatus == "down"
        let bytesLagging = (node.lagBytes ?? 0) > scales.thresholds.bytes
        let secondsLagging = (node.lagSeconds ?? 0) > scales.thresholds.seconds
        func barRole(_ lagging: Bool) -> StyleRole { down ? .barError : lagging ? .barWarning : .bar }
        func textRole(_ lagging: Bool) -> StyleRole { down ? .error : lagging ? .warning : .normal }

        var column = grid.put("  \(glyphs.arrow) ", x: x, y: y, role: .dim)
        column = grid.put(Format.cell("\(node.address)", layout.name - 4), x: column, y: y, role: node.health == .ok ? .replica : .error) + 1
        column = grid.put(Format.cell(link.text, layout.link), x: column, y: y, role: link.role) + 1
        if layout.offset > 0 {
            column = grid.put(Format.cell(node.replicationOffset.map { "\($0)" } ?? "?", layout.offset, right: true), x: column, y: y) + 1
        }
        column = grid.put(Format.cell(Format.bytes(node.lagBytes), layout.lagBytes, right: true), x: column, y: y, role: textRole(bytesLagging)) + 1
        Bar.draw(into: &grid, x: column, y: y, width: layout.bytesBar, fraction: Double(node.lagBytes ?? 0) / scales.bytes,
                 role: barRole(bytesLagging), glyphs: glyphs)
        column += layout.bytesBar + 1
        column = grid.put(Format.cell(Format.lagSeconds(node.lagSeconds), layout.lagSeconds, right: true), x: column, y: y, role: textRole(secondsLagging)) + 1
        Bar.draw(into: &grid, x: column, y: y, width: layout.secondsBar, fraction: Double(Format.lagSecondsBeyondAcks(node.lagSeconds)) / scales.seconds,
                 role: barRole(secondsLagging), glyphs: glyphs)
        column += layout.secondsBar + 1
        if layout.history > 0 {
            Bar.sparkline(into: &grid, x: column, y: y, width: layout.history, values: state.history.lagBytesByNode[node.id] ?? [], glyphs: glyphs)
        }
    }
}
