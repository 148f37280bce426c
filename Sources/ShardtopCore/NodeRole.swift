/// A node's role, in primary/replica naming (the wire says master/slave; we translate at the edge).
public enum NodeRole: String, Sendable, Codable, Hashable {
    case primary
    case replica
}

/// How a node is doing, most severe first in `severityRank`.
///
/// Every value but `unreachable` comes from the cluster's own view (CLUSTER NODES flags, INFO loading).
/// `unreachable` is this client's own observation: shardtop could not get an answer in time.
/// It is labelled `unreachable-from-here` so nobody mistakes it for the cluster's FAIL verdict.
public enum NodeHealth: String, Sendable, Codable, Hashable, CaseIterable {
    case ok
    case pfail
    case fail
    case handshake
    case noaddr
    case loading
    case unreachable = "unreachable-from-here"

    /// Higher is worse; used to pick the one health to show when several apply.
    public var severityRank: Int {
        switch self {
        case .fail: 6
        case .unreachable: 5
        case .pfail: 4
        case .noaddr: 3
        case .handshake: 2
        case .loading: 1
        case .ok: 0
        }
    }
}
