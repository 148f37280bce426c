/// A cluster event a node announced in its own log, worth putting on the incident timeline.
///
/// Associated values carry what the message names (an epoch, another node's 40-char id) so the
/// timeline can point at the node concerned; they are nil when the server's wording left it out.
public enum LogEventKind: Sendable, Hashable, CustomStringConvertible {
    /// An operator's CLUSTER FAILOVER reached this replica.
    case manualFailoverAccepted
    /// This replica asked the primaries for votes.
    case failoverElectionStarted(epoch: Int?)
    /// This replica won and is now a primary.
    case failoverElectionWon
    /// A manual failover gave up (its primary never paused, or the votes never came).
    case manualFailoverTimedOut
    /// This primary refused its vote to a replica (`to` is the replica's id).
    case failoverAuthDenied(to: String?)
    /// This node saw a quorum of primaries agree that `node` is down (FAIL, not just PFAIL).
    case nodeMarkedFailing(node: String?)
    /// `node` is reachable again and loses its FAIL flag.
    case failCleared(node: String?)
    /// This node learned it is now a replica of `of` (a failover happened behind it).
    case reconfiguredAsReplica(of: String?)
    /// Two primaries had the same configEpoch; this one took a new epoch.
    case configEpochCollision(with: String?)

    /// A short phrase for a timeline row or a marker beside the line.
    public var description: String {
        switch self {
        case .manualFailoverAccepted: "manual failover accepted"
        case .failoverElectionStarted(let epoch): "failover election started" + (epoch.map { " (epoch \($0))" } ?? "")
        case .failoverElectionWon: "failover election won"
        case .manualFailoverTimedOut: "manual failover timed out"
        case .failoverAuthDenied(let to): "failover vote denied" + (to.map { " to \(LogEventKind.short($0))" } ?? "")
        case .nodeMarkedFailing(let node): "node marked failing" + (node.map { ": \(LogEventKind.short($0))" } ?? "")
        case .failCleared(let node): "FAIL cleared" + (node.map { ": \(LogEventKind.short($0))" } ?? "")
        case .reconfiguredAsReplica(let of): "now a replica" + (of.map { " of \(LogEventKind.short($0))" } ?? "")
        case .configEpochCollision(let with): "configEpoch collision" + (with.map { " with \(LogEventKind.short($0))" } ?? "")
        }
    }

    /// The node id prefix shardtop shows everywhere else (8 chars), so a timeline row matches the tables.
    static func short(_ id: String) -> String { String(id.prefix(8)) }
}
