/// The three ways to ask a replica to take over, from safest to most dangerous. The operator
/// escalates through them; the dangerous ones need a typed confirmation (see TypedConfirmation).
public enum FailoverMode: String, Sendable, Codable, CaseIterable {
    /// The replica and its primary agree on a handover once the replica has caught up: no data loss.
    case `default`
    /// No handshake with the primary (for a dead primary); still needs a majority vote, but skips
    /// the catch-up check, so whatever the replica had not received is lost.
    case force
    /// No vote at all: the replica bumps its epoch alone. Last resort when no majority is reachable.
    case takeover

    /// The arguments sent to the replica.
    public var command: [String] {
        switch self {
        case .default: ["CLUSTER", "FAILOVER"]
        case .force: ["CLUSTER", "FAILOVER", "FORCE"]
        case .takeover: ["CLUSTER", "FAILOVER", "TAKEOVER"]
        }
    }

    public var label: String {
        switch self {
        case .default: "default"
        case .force: "FORCE"
        case .takeover: "TAKEOVER"
        }
    }
}
