import Foundation
import ShardtopCore
import ShardtopUI

/// The plain-text form of a snapshot: one header line, one row per node, then findings.
/// Cells and lines are escaped before widths are measured, so server text can neither reach the
/// terminal raw nor throw the columns out.
public enum SnapshotTable {
    public static func render(_ snapshot: ClusterSnapshot, findings: [Finding]) -> String {
        let up = snapshot.nodes.filter { $0.health == .ok }.count
        var out = "cluster \(TerminalSafe.line(snapshot.state))  slots \(snapshot.slotsCovered)/\(hashSlotCount)  nodes \(snapshot.nodes.count) (\(up) ok)  "
        out += "open slots \(snapshot.openSlotNumbers.count)  findings \(findings.count)\n"
        let header = ["ADDRESS", "ID", "ROLE", "PRIMARY", "HEALTH", "SLOTS", "KEYS", "OPS/S", "MEMORY", "OFFSET", "LAG", "VERSION"]
        var rows: [[String]] = [header]
        for node in snapshot.nodes {
            rows.append([
                node.address.description,
                SnapshotDiff.short(node.id),
                node.role.rawValue,
                node.primaryId.map { SnapshotDiff.short($0) } ?? "-",
                node.health.rawValue,
                node.isPrimary ? "\(node.slotCount)" : "-",
                node.keys.map { "\($0)" } ?? "?",
                node.opsPerSec.map { "\($0)" } ?? "?",
                Format.bytes(node.usedMemory),
                node.replicationOffset.map { "\($0)" } ?? "?",
                node.role == .replica ? "\(Format.bytes(node.lagBytes))/\(node.lagSeconds.map { "\($0)s" } ?? "?")" : "-",
                node.version.map { "\(node.server ?? "") \($0)" } ?? "?",
            ].map(TerminalSafe.line))
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        for row in rows {
            let cells = row.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
            out += cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        for open in snapshot.openSlots {
            out += TerminalSafe.line("open slot \(open.slot): \(open.state.rawValue) on \(SnapshotDiff.short(open.node)), peer \(SnapshotDiff.short(open.peer))") + "\n"
        }
        for node in snapshot.nodes {
            if let error = node.error { out += TerminalSafe.line("\(node.address): \(error)") + "\n" }
        }
        for finding in findings {
            out += TerminalSafe.line("\(finding.severity.label) [\(finding.code)] \(finding.message)") + "\n"
        }
        return out
    }
}

extension String {
    public func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
