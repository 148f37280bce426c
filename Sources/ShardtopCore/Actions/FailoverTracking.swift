/// A failover is asynchronous: CLUSTER FAILOVER replies OK before anything happens. This value
/// follows one sent failover through successive snapshots until the role flip shows and holds, or
/// until the deadline passes, in which case it says why from what it saw last.
///
/// A snapshot showing the flip is only a prompt: success needs `FailoverConfirmation`s (the nodes
/// asked directly) that are settled twice, `holdSeconds` apart, with nothing unsettled between.
public struct FailoverTracking: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        case waiting
        /// The replica became primary and stayed so (see `confirm`); `seconds` after sending, to the
        /// first settled confirmation.
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
    /// Ids of the primaries that vote on this failover (served slots when it was sent); nil until
    /// given or learned from the first snapshot.
    public private(set) var electorate: [String]?
    public private(set) var phase: Phase = .waiting
    /// The last snapshot showed the replica as primary: time to ask the nodes directly.
    public private(set) var flipSeen = false
    /// When the current run of settled confirmations began.
    private var settledSince: Double?
    /// What the last snapshot showed while waiting, for the inline status.
    public private(set) var lastObservation: String = "sent"

    /// The server's manual failover gives up after 5 s; a few seconds more cover the election
    /// and the gossip that makes the flip visible from every node.
    public static let defaultTimeout: Double = 10
    /// How long the flip must hold. The reversal seen in the field came 0.3 s after the win, when
    /// the rival claim's gossip arrived; the epoch and majority checks catch that claim, and the
    /// hold catches one still in flight.
    public static let holdSeconds: Double = 0.3

    public init(
        replicaId: String, replicaAddress: NodeAddress, oldPrimaryId: String?, mode: FailoverMode, sentAt: Double,
        timeout: Double = FailoverTracking.defaultTimeout, electorate: [String]? = nil
    ) {
        self.replicaId = replicaId
        self.replicaAddress = replicaAddress
        self.oldPrimaryId = oldPrimaryId
        self.mode = mode
        self.sentAt = sentAt
        self.deadline = sentAt + timeout
        self.electorate = electorate
    }

    /// The primaries that vote on a failover of `replicaId`: every primary serving slots, with the
    /// old primary counted even when it has already flipped (it voted as a primary), the candidate not.
    public static func electorate(in snapshot: ClusterSnapshot, replicaId: String, oldPrimaryId: String?) -> [String] {
        var ids = snapshot.primaries.filter { !$0.isUnknownSeed && $0.slotCount > 0 && $0.id != replicaId }.map(\.id)
        if let oldPrimaryId, !ids.contains(oldPrimaryId) { ids.append(oldPrimaryId) }
        return ids
    }

    public mutating func reject(_ reason: String) { phase = .rejected(reason: reason) }

    /// Feeds one snapshot; returns the phase after it.
    @discardableResult
    public mutating func observe(_ snapshot: ClusterSnapshot) -> Phase {
        guard phase == .waiting else { return phase }
        if electorate == nil { electorate = Self.electorate(in: snapshot, replicaId: replicaId, oldPrimaryId: oldPrimaryId) }
        let replica = snapshot.node(id: replicaId)
        if let replica, replica.role == .primary {
            if !flipSeen { lastObservation = "it reports itself primary; confirming with the voting primaries" }
            flipSeen = true
        } else {
            if flipSeen { lastObservation = "it was primary and is a replica again" } else {
                lastObservation = Self.describeWait(replica: replica, primary: oldPrimaryId.flatMap { snapshot.node(id: $0) })
            }
            flipSeen = false
            settledSince = nil
        }
        checkDeadline(snapshot.time)
        return phase
    }

    /// Feeds what the nodes said when asked directly; succeeds once the flip has held.
    @discardableResult
    public mutating func confirm(_ confirmation: FailoverConfirmation) -> Phase {
        guard phase == .waiting else { return phase }
        switch confirmation.verdict(candidateId: replicaId, electorate: electorate ?? []) {
        case .settled:
            let since = settledSince ?? confirmation.time
            settledSince = since
            if confirmation.time - since >= Self.holdSeconds {
                phase = .succeeded(seconds: max(0, since - sentAt))
                return phase
            }
            lastObservation = "it is primary; making sure it holds"
        case .unsettled(let reason):
            settledSince = nil
            lastObservation = "not a stable primary yet: \(reason)"
        }
        checkDeadline(confirmation.time)
        return phase
    }

    private mutating func checkDeadline(_ now: Double) {
        guard phase == .waiting, now >= deadline else { return }
        phase = .timedOut(reason: "no stable role flip after \(Int(deadline - sentAt)) s: \(lastObservation)")
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
