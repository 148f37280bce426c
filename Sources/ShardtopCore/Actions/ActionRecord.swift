/// One line of the action journal: who did what to which cluster, what was sent, how it ended.
/// Written as JSON lines so `grep`, `jq` and the events screen can all read it.
public struct ActionRecord: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case started, succeeded, failed, cancelled, refused
    }

    /// Seconds since 1970 (UTC).
    public var time: Double
    public var user: String
    public var host: String
    /// The seed the operator gave, plus a stable identity: the smallest node id among primaries.
    public var cluster: String
    public var action: String
    public var nodes: [String]
    public var commands: [String]
    public var outcome: Outcome
    public var detail: String
    /// Every node id of the cluster when the entry was written: its identity. Addresses are reused
    /// by other clusters (every lab starts on 127.0.0.1), node ids are random 160-bit values.
    /// Absent in entries written before it existed.
    public var clusterNodeIds: [String]?

    public init(time: Double, user: String, host: String, cluster: String, action: String,
                nodes: [String], commands: [String], outcome: Outcome, detail: String, clusterNodeIds: [String]? = nil) {
        self.clusterNodeIds = clusterNodeIds
        self.time = time
        self.user = user
        self.host = host
        self.cluster = cluster
        self.action = action
        self.nodes = nodes
        self.commands = commands
        self.outcome = outcome
        self.detail = detail
    }

    /// Whether this entry is about the cluster `snapshot` shows: it names one of its node ids. An
    /// entry from before `clusterNodeIds` is matched by the id prefixes in its `nodes`
    /// ("127.0.0.1:7000 0a55a818"); one that names no node at all cannot be placed and is not shown.
    public func belongs(to snapshot: ClusterSnapshot) -> Bool {
        let ids = snapshot.nodes.map(\.id).filter { !$0.hasPrefix("?") }
        if let clusterNodeIds, !clusterNodeIds.isEmpty {
            let known = Set(ids)
            return clusterNodeIds.contains { known.contains($0) }
        }
        let prefixes = nodes.compactMap { $0.split(separator: " ").last.map(String.init) }.filter { $0.count >= 8 }
        return prefixes.contains { prefix in ids.contains { $0.hasPrefix(prefix) } }
    }

    /// The identity to record for `snapshot`: every known node id.
    public static func nodeIds(of snapshot: ClusterSnapshot) -> [String] {
        snapshot.nodes.map(\.id).filter { !$0.hasPrefix("?") }.sorted()
    }

    /// The cluster's identity as recorded: the seed and the smallest primary id (stable across
    /// restarts of shardtop, unlike the seed the operator happened to type).
    public static func clusterName(seed: String, snapshot: ClusterSnapshot) -> String {
        let id = snapshot.primaries.map(\.id).filter { !$0.hasPrefix("?") }.min() ?? "?"
        return "\(seed) [\(id.prefix(8))]"
    }

    /// The journal entry as a timeline event, so actions and their effects read in one list.
    public var event: ClusterEvent {
        let severity: ClusterEvent.Severity = switch outcome {
        case .started, .succeeded: .info
        case .cancelled, .refused: .warning
        case .failed: .error
        }
        let on = nodes.isEmpty ? "" : " on \(nodes.joined(separator: ", "))"
        return ClusterEvent(time: time, kind: .action, severity: severity, node: nil,
                            message: "\(action) \(outcome.rawValue) by \(user)@\(host)\(on): \(detail)")
    }
}
