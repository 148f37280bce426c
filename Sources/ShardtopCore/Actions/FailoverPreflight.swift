/// Everything the operator must see before a failover is sent, computed from one snapshot:
/// the command, the replica's link and lag, whether a majority of primaries can vote, and the
/// nofailover flag. It also decides which modes may be offered.
public struct FailoverPreflight: Sendable, Hashable {
    public var replica: SnapshotNode
    public var primary: SnapshotNode?
    /// "up", "down", or nil when the replica did not answer.
    public var linkStatus: String?
    public var lagBytes: Int64?
    public var lagSeconds: Int?
    public var primariesReachable: Int
    public var primariesTotal: Int
    public var noFailoverFlag: Bool
    /// Reasons the failover cannot be sent at all (in any mode).
    public var blockers: [String]
    /// Things the operator should read before confirming.
    public var warnings: [String]

    public var majorityReachable: Bool { primariesReachable * 2 > primariesTotal }
    public var primaryReachable: Bool { primary?.isReachable ?? false }

    public func command(_ mode: FailoverMode) -> String {
        (mode.command + ["(sent to \(replica.address))"]).joined(separator: " ")
    }

    /// Whether the primary is down by more than shardtop's own word: the cluster suspects or has
    /// failed it, or we cannot reach it and its replica has lost it too. A primary that merely misses
    /// our 1 s deadline (busy with a big MIGRATE, or cut off from this machine only) does not count.
    public var primaryDown: Bool {
        guard let primary else { return false }
        if primary.health == .fail || primary.health == .pfail { return true }
        return !primary.isReachable && linkStatus == "down"
    }

    /// Default first. FORCE only once the default failed or when the primary is down (the default
    /// needs the primary's handshake). TAKEOVER only after FORCE is on the table.
    public func offeredModes(defaultFailed: Bool) -> [FailoverMode] {
        guard blockers.isEmpty else { return [] }
        if defaultFailed || primaryDown { return [.default, .force, .takeover] }
        return [.default]
    }

    /// The typed confirmation a mode needs; nil for the default mode, which cannot lose data.
    public func confirmation(for mode: FailoverMode) -> TypedConfirmation? {
        switch mode {
        case .default:
            return nil
        case .force:
            let bytes = lagBytes.map { $0 >= 1024 ? "\($0) bytes (\(ByteCount.text($0)))" : "\($0) bytes" } ?? "an unknown number of bytes (the primary does not answer)"
            return TypedConfirmation(
                warning: "FORCE skips the catch-up check: \(bytes) of acknowledged writes the replica has not received will be lost.",
                expected: "FORCE"
            )
        case .takeover:
            return TypedConfirmation(
                warning: "TAKEOVER skips the vote: the replica promotes itself without the other primaries' agreement, and an older primary that comes back may split the cluster.",
                expected: "TAKEOVER"
            )
        }
    }

    /// The preflight for failing over to `nodeId`. For a primary, its most up-to-date healthy replica
    /// is chosen; nil when the node is unknown or is a primary without any replica.
    public static func make(snapshot: ClusterSnapshot, nodeId: String) -> FailoverPreflight? {
        guard let node = snapshot.node(id: nodeId) else { return nil }
        let replica: SnapshotNode
        if node.isPrimary {
            guard let best = bestReplica(of: node.id, in: snapshot) else { return nil }
            replica = best
        } else {
            replica = node
        }
        let primary = replica.primaryId.flatMap { snapshot.node(id: $0) }
        let voters = snapshot.primaries.filter { $0.slotCount > 0 && !$0.isUnknownSeed }
        // A voter counts as reachable when we reach it and the cluster does not hold it failed;
        // the replica's own primary cannot vote for its replacement.
        let reachable = voters.filter { $0.isReachable && $0.health != .fail && $0.id != primary?.id }.count

        var preflight = FailoverPreflight(
            replica: replica, primary: primary, linkStatus: replica.primaryLinkStatus,
            lagBytes: replica.lagBytes, lagSeconds: replica.lagSeconds,
            primariesReachable: reachable, primariesTotal: voters.count,
            noFailoverFlag: replica.flags.contains("nofailover"), blockers: [], warnings: []
        )
        preflight.assess(openSlots: snapshot.openSlots)
        return preflight
    }

    /// The replica the cluster would most likely elect: reachable, not nofailover, link up, least lag.
    public static func bestReplica(of primaryId: String, in snapshot: ClusterSnapshot) -> SnapshotNode? {
        let candidates = snapshot.replicas(of: primaryId).filter { $0.isReachable && $0.health != .fail }
        return candidates.min { a, b in rank(a) < rank(b) }
    }

    private static func rank(_ replica: SnapshotNode) -> (Int, Int, Int64, String) {
        (replica.flags.contains("nofailover") ? 1 : 0,
         replica.primaryLinkStatus == "up" ? 0 : 1,
         replica.lagBytes ?? Int64.max,
         replica.id)
    }

    private mutating func assess(openSlots: [OpenSlot]) {
        if replica.role != .replica { blockers.append("\(replica.address) is not a replica") }
        // Redis 7.0 does not replicate MIGRATING/IMPORTING: a failover of a shard with an open slot
        // makes the keys already moved unreachable until repaired.
        if let primary, let open = openSlots.first(where: { $0.node == primary.id || $0.peer == primary.id }) {
            blockers.append("slot \(open.slot) is open on this shard (a migration is running or was interrupted): let it finish or run `shardtop fix` first")
        }
        if !replica.isReachable { blockers.append("\(replica.address) does not answer: \(replica.error ?? "unreachable")") }
        if primary == nil { blockers.append("\(replica.address) has no known primary") }
        if !majorityReachable {
            warnings.append("only \(primariesReachable) of \(primariesTotal) primaries can vote: default and FORCE need a majority; only TAKEOVER works without one")
        }
        if noFailoverFlag {
            warnings.append("\(replica.address) has the nofailover flag: the cluster would never elect it on its own")
        }
        if linkStatus == "down" {
            warnings.append("the replica's link to its primary is down: the default mode will wait for a catch-up that cannot happen and time out")
        }
        if let lagBytes, lagBytes > 0 {
            warnings.append("the replica is \(lagBytes) bytes behind; the default mode waits for it to catch up")
        }
        if primaryDown {
            warnings.append("the primary is down (\(primary?.health == .fail ? "the cluster marked it failed" : primary?.health == .pfail ? "suspected failing" : "no answer here and the replica lost it too")): the default mode needs its handshake; FORCE is offered")
        } else if !primaryReachable, primary != nil {
            warnings.append("the primary does not answer from here, but the cluster does not consider it down: try the default first")
        }
    }
}
