import Foundation
import ShardtopCore

/// Everything shardtop knows about one node, one field per line. When the lines outnumber the
/// rows they flow into side-by-side columns, so even the minimum terminal shows every field.
enum NodeDetailView {
    static func draw(into grid: inout Grid, area: Rect, node: SnapshotNode, state: AppState) {
        let title = " \(node.address)  id \(node.id)"
        let x = grid.put(title, x: area.x, y: area.y, role: .header, maxWidth: area.width)
        grid.put("  Esc back", x: x, y: area.y, role: .dim, maxWidth: area.x + area.width - x)

        // The error gets the full width: it is usually why someone opened this view.
        let error = Field(label: "error", value: node.error ?? "none", role: node.error == nil ? .normal : .error)
        drawField(&grid, error, x: area.x + 1, y: area.y + 1, width: area.width - 1)

        let lines = fields(node, now: state.now)
        let columnCount = (lines.count + max(1, area.height - 2) - 1) / max(1, area.height - 2)
        // Balance the columns rather than filling the first one to the bottom.
        let rows = (lines.count + columnCount - 1) / columnCount
        let columnWidth = area.width / max(1, columnCount)
        for (index, line) in lines.enumerated() {
            let y = area.y + 2 + index % rows
            guard y < area.maxY else { continue }
            drawField(&grid, line, x: area.x + 1 + (index / rows) * columnWidth, y: y, width: columnWidth - 1)
        }
    }

    /// "label  value" in `width` columns.
    private static func drawField(_ grid: inout Grid, _ field: Field, x: Int, y: Int, width: Int) {
        let labelEnd = grid.put(Format.cell(field.label, labelWidth), x: x, y: y, role: .dim, maxWidth: width)
        grid.put(field.value, x: labelEnd + 1, y: y, role: field.role, maxWidth: x + width - 1 - labelEnd)
    }

    static let labelWidth = 12

    struct Field {
        var label: String
        var value: String
        var role: StyleRole = .normal
    }

    /// Every SnapshotNode field but the error (drawn on its own line) and id and address (in the title).
    static func fields(_ node: SnapshotNode, now: Double) -> [Field] {
        func text<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "?" }
        let link = ScreenText.link(node)
        let sync: String = switch node.syncInProgress {
        case true?: "in progress \(Format.percent(node.syncPercent))"
        case false?: "no"
        case nil: "?"
        }
        let lastSeen = node.lastSeen.map { "\(Int(max(0, now - $0).rounded()))s ago, \(Format.clock($0)) UTC" } ?? "never"
        let slots = node.slots.isEmpty ? "none" : "\(node.slotCount): " + node.slots.map(\.description).joined(separator: " ")
        return [
            Field(label: "role", value: node.role.rawValue, role: node.isPrimary ? .primary : .replica),
            Field(label: "health", value: node.health.rawValue, role: ScreenText.healthRole(node.health)),
            Field(label: "primary", value: node.primaryId ?? "- (is a primary)"),
            Field(label: "flags", value: node.flags.isEmpty ? "none" : node.flags.joined(separator: ",")),
            Field(label: "bus link", value: node.linkConnected ? "connected" : "disconnected", role: node.linkConnected ? .normal : .error),
            Field(label: "config epoch", value: "\(node.configEpoch)"),
            Field(label: "slots", value: slots),
            Field(label: "server", value: text(node.server)),
            Field(label: "version", value: text(node.version)),
            Field(label: "ops/s", value: Format.count(node.opsPerSec)),
            Field(label: "memory", value: Format.bytes(node.usedMemory)),
            Field(label: "keys", value: text(node.keys)),
            Field(label: "clients", value: text(node.clients)),
            Field(label: "cpu", value: Format.percent(node.cpuPercent)),
            Field(label: "cpu seconds", value: node.cpuSecondsTotal.map { String(format: "%.1f", $0) } ?? "?"),
            Field(label: "offset", value: text(node.replicationOffset)),
            Field(label: "repl link", value: node.isPrimary ? "-" : link.text, role: node.isPrimary ? .normal : link.role),
            Field(label: "lag bytes", value: node.isPrimary ? "-" : text(node.lagBytes)),
            Field(label: "lag seconds", value: node.isPrimary ? "-" : node.lagSeconds.map { "\($0) s since its last ack" } ?? "?"),
            Field(label: "sync", value: sync),
            Field(label: "last seen", value: lastSeen, role: node.isReachable ? .normal : .warning),
            Field(label: "round trip", value: node.roundTripMillis.map { String(format: "%.1f ms", $0) } ?? "?"),
        ]
    }
}
