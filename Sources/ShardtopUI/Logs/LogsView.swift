import Foundation
import ShardtopCore

/// One node's log as the dashboard holds it: the newest lines (capped) and where they come from.
public struct NodeLog: Sendable, Equatable {
    public var lines: [LogLine] = []
    /// "file /tmp/.../server.log", "command ssh ...", "fallback (SLOWLOG...)".
    public var source = ""
    /// The source's last status, e.g. "following" or "log command exited with status 1".
    public var status = ""

    public init() {}

    public var hasEnded: Bool { status.hasPrefix("log command exited") || status == "complete" }
}

/// The logs screen: the selected node's log or all nodes merged by time, scrolled, searched and
/// filtered by level. Scroll counts lines up from the newest, so 0 means "follow".
public struct LogsView: Sendable, Equatable {
    public var byNode: [String: NodeLog] = [:]
    public var merged = false
    public var scroll = 0
    public var search = TextFilter()
    /// Lines below this level are hidden; nil shows every line.
    public var minimumLevel: LogLevel?

    /// Lines kept per node: enough to read around an incident, bounded whatever the log's size.
    public static let cap = 2000

    public init() {}
}

/// Log lines for the screen, in the order shown (oldest first), after the level and search filters.
public enum LogsModel {
    public struct Row: Sendable, Equatable {
        public var nodeId: String
        public var line: LogLine
    }

    public static func rows(_ state: AppState) -> [Row] {
        let view = state.logs
        var rows: [Row]
        if view.merged {
            rows = view.byNode.flatMap { id, log in log.lines.map { Row(nodeId: id, line: $0) } }
            // Interleaved by time; lines without a time keep their node's order after the timed ones.
            rows.sort { a, b in
                switch (a.line.time, b.line.time) {
                case let (x?, y?): x != y ? x < y : a.nodeId < b.nodeId
                case (nil, _?): false
                case (_?, nil): true
                case (nil, nil): a.nodeId < b.nodeId
                }
            }
        } else {
            guard let node = NodesScreenModel.selectedNode(state), let log = view.byNode[node.id] else { return [] }
            rows = log.lines.map { Row(nodeId: node.id, line: $0) }
        }
        if let minimum = view.minimumLevel {
            rows = rows.filter { ($0.line.level ?? .notice) >= minimum || $0.line.event != nil }
        }
        if !view.search.text.isEmpty {
            rows = rows.filter { view.search.matches($0.line.message, $0.line.raw) }
        }
        return rows
    }

    /// A recognised log line as a timeline event for its node.
    public static func event(_ line: LogLine, nodeId: String) -> ClusterEvent? {
        guard let kind = line.event, let time = line.time else { return nil }
        let severity: ClusterEvent.Severity = switch kind {
        case .nodeMarkedFailing, .manualFailoverTimedOut, .failoverAuthDenied, .configEpochCollision: .warning
        default: .info
        }
        return ClusterEvent(time: time.timeIntervalSince1970, kind: .log, severity: severity, node: nodeId, message: "log: \(kind)")
    }
}
