import Foundation
import ShardtopCore

/// The nodes' own log lines: the selected node's, or every node's interleaved by time. Coloured
/// by level; lines shardtop recognises (election won, marked failing...) are marked.
enum LogsScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard area.height > 3 else { return }
        let rows = LogsModel.rows(state)
        let index = state.nodeIndex
        drawTitle(&grid, area: area, state: state, index: index, shown: rows.count)

        let top = area.y + 2
        let visible = area.height - 2
        guard !rows.isEmpty else {
            grid.put(emptyText(state, index), x: area.x + 1, y: top, role: .dim, maxWidth: area.width - 2)
            return
        }
        let end = max(0, rows.count - state.logs.scroll)
        let start = max(0, end - visible)
        let nodeWidth = state.logs.merged ? min(21, max(8, state.snapshot?.nodes.map { $0.address.description.count }.max() ?? 8)) : 0
        for (offset, row) in rows[start..<end].enumerated() {
            let y = top + offset
            var x = area.x + 1
            let line = row.line
            let time = line.time.map { Format.clock($0.timeIntervalSince1970) } ?? "        "
            x = grid.put(time, x: x, y: y, role: .dim) + 1
            if nodeWidth > 0 {
                let name = index.node(id: row.nodeId).map { "\($0.address)" } ?? Format.shortID(row.nodeId)
                x = grid.put(Format.cell(name, nodeWidth), x: x, y: y, role: .dim) + 1
            }
            let mark = line.event != nil ? "\(glyphs.migrating) " : "  "
            x = grid.put(mark, x: x, y: y, role: .info)
            let text = line.isParsed ? line.message : line.raw
            grid.put(sanitized(text), x: x, y: y, role: role(line), maxWidth: area.x + area.width - x - 1)
        }
    }

    private static func drawTitle(_ grid: inout Grid, area: Rect, state: AppState, index: NodeIndex, shown: Int) {
        let view = state.logs
        var title: String
        var source = ""
        var status = ""
        if view.merged {
            title = " all \(view.byNode.count) nodes, interleaved by time"
        } else if let node = NodesScreenModel.selectedNode(state) {
            title = " log of \(node.address)"
            let log = view.byNode[node.id]
            source = log.map { "  \($0.source)" } ?? "  (starting)"
            status = log?.status ?? ""
        } else {
            title = " no node selected"
        }
        var x = grid.put(title, x: area.x, y: area.y, role: .header, maxWidth: area.width)
        x = grid.put(source, x: x, y: area.y, role: .dim, maxWidth: area.x + area.width - x)
        let level = view.minimumLevel.map { "  level \($0)+" } ?? ""
        let search = view.search.text.isEmpty ? "" : "  search \"\(view.search.text)\""
        let position = view.scroll > 0 ? "  \(view.scroll) lines up (G follows)" : "  following"
        x = grid.put("\(level)\(search)\(position)  \(shown) lines", x: x, y: area.y, role: .dim, maxWidth: area.x + area.width - x)
        if !status.isEmpty && status != "following" {
            let ended = status.hasPrefix("log command exited") || status == "complete"
            grid.put(" \(status)\(ended ? ": R restarts it" : "")", x: area.x, y: area.y + 1, role: ended ? .warning : .dim, maxWidth: area.width)
        }
    }

    private static func emptyText(_ state: AppState, _ index: NodeIndex) -> String {
        if !state.logs.search.text.isEmpty { return "no line matches \"\(state.logs.search.text)\" (Esc clears)" }
        if state.logs.merged { return "no log lines yet" }
        guard let node = NodesScreenModel.selectedNode(state) else { return "select a node on the Nodes screen (2)" }
        return state.logs.byNode[node.id] == nil ? "reading the log of \(node.address)..." : "no log lines from \(node.address) yet"
    }

    static func role(_ line: LogLine) -> StyleRole {
        if line.event != nil { return .info }
        switch line.level {
        case .warning: return .warning
        case .notice, nil: return .normal
        case .verbose, .debug: return .dim
        }
    }

    /// Node-written text may hold escape sequences; they never reach the terminal raw.
    static func sanitized(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { result += "?" } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
