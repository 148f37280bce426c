/// A failover is asynchronous: CLUSTER FAILOVER replies OK before anything happens. This value
/// follows one sent failover through successive snapshots until the role flip shows, or until the
/// deadline passes, in which case it says why from what the last snapshot shows.
public struct FailoverTracking: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        case waiting
        /// The replica is a primary in the assembled view; `seconds` after sending.
        case succeeded(seconds: Double)
        case timedOut(reason: String)
        /// The replica refused the command outright (its error reply).
        case rejected(reason: String)

        public var isFinished: Bool { self != .waiting }
    }

    public var replicaId: String
    public var replicaAddress: NodeAddress
    public var oldPrimaryId: String?
    public var mode: FailoverMode
    public var sentAt: Double
    public var deadline: Double
    public private(set) var phase: Phase = .waiting
    /// What the last snapshot showed while waiting, for the inline status.
    public private(set) var lastObservation: String = "sent"

    /// The server's manual failover gives up after 5 s; a few seconds more cover the election
    /// and the gossip that makes the flip visible from every node.
    public static let defaultTimeout: Double = 10

    public init(replicaId: String, replicaAddress: NodeAddress, oldPrimaryId: String?, mode: FailoverMode, sentAt: Double, timeout: Double = FailoverTracking.defaultTimeout) {
        self.replicaId = replicaId
        self.replicaAddress = replicaAddress
        self.oldPrimaryId = oldPrimaryId
        self.mode = mode
        self.sentAt = sentAt
        self.deadline = sentAt + timeout
    }

    public mutating func reject(_ reason: String) { phase = .rejected(reason: reason) }

    /// Feeds one snapshot; returns the phase after it.
    @discardableResult
    public mutating func observe(_ snapshot: ClusterSnapshot) -> Phase {
        guard phase == .waiting else { return phase }
        let replica = snapshot.node(id: replicaId)
        if let replica, replica.role == .primary {
            phase = .succeeded(seconds: max(0, snapshot.time - sentAt))
            return phase
        }
        lastObservation = Self.describeWait(replica: replica, primary: oldPrimaryId.flatMap { snapshot.node(id: $0) })
        if snapshot.time >= deadline {
            phase = .timedOut(reason: "no role flip after \(Int(deadline - sentAt)) s: \(lastObservation)")
        }
        return phase
    }

    /// The most likely reason the flip has not happened yet, most specific first.
    static func describeWait(replica: SnapshotNode?, primary: SnapshotNode?) -> String {
        guard let replica else { return "the replica is no longer in the cluster view" }
        if !replica.isReachable { return "the replica does not answer (\(replica.error ?? "unreachable"))" }
        if replica.primaryLinkStatus == "down" { return "the replica's link to its primary is down, so it cannot catch up" }
        if let lag = replica.lagBytes, lag > 0 { return "the replica is still \(lag) bytes behind its primary" }
        if let primary, !primary.isReachable { return "the primary does not answer; the default mode needs its handshake (try FORCE)" }
        return "still a replica; waiting for the election"
    }
}
