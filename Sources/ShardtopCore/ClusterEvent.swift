/// Something that changed between two snapshots.
public struct ClusterEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case nodeUnreachable = "node-unreachable"
        case nodeReachable = "node-reachable"
        case healthChanged = "health-changed"
        case roleChanged = "role-changed"
        case slotsMoved = "slots-moved"
        case migrationOpened = "migration-opened"
        case migrationClosed = "migration-closed"
        case replicaLinkDown = "replica-link-down"
        case replicaLinkUp = "replica-link-up"
        case lagAboveThreshold = "lag-above-threshold"
        case lagBelowThreshold = "lag-below-threshold"
        case clusterStateChanged = "cluster-state-changed"
        case nodeJoined = "node-joined"
        case nodeLeft = "node-left"
        /// An operator action from the journal (failover, migration, fix), shown beside what changed.
        case action
        /// A line a node wrote in its own log that shardtop recognises (election won, marked failing...).
        case log
    }

    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case info
        case warning
        case error

        private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var time: Double
    public var kind: Kind
    public var severity: Severity
    /// The node the event is about, when there is one.
    public var node: String?
    public var message: String

    public init(time: Double, kind: Kind, severity: Severity, node: String?, message: String) {
        self.time = time
        self.kind = kind
        self.severity = severity
        self.node = node
        self.message = message
    }
}
