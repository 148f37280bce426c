/// Which node of each shard runs BGSAVE. A pure decision from one snapshot.
///
/// By default a healthy, caught-up replica saves, so the primary serving writes does not fork;
/// the primary saves only when asked (`--from primaries`) or when the shard has no healthy
/// replica, and then the choice says why.
public enum BackupSource: String, Sendable, CaseIterable {
    case replicas
    case primaries
}

public struct BackupTarget: Sendable, Equatable {
    public var shard: Int
    public var primary: SnapshotNode
    public var slots: [SlotRange]
    /// Nil when no node of the shard can save (the primary is unreachable and no replica is healthy).
    public var node: SnapshotNode?
    public var fallbackReason: String?
    /// Set when `node` is nil.
    public var problem: String?
}

public enum BackupSourceChoice {
    /// One target per shard that owns slots, in slot order. A replica is healthy when it answers,
    /// its link to the primary is up, no sync runs, and its lag is within the thresholds.
    public static func targets(_ snapshot: ClusterSnapshot, from source: BackupSource, thresholds: LagThresholds) -> [BackupTarget] {
        let shards = snapshot.shards.filter { !$0.slots.isEmpty }.sorted { ($0.slots.first?.start ?? 0) < ($1.slots.first?.start ?? 0) }
        return shards.enumerated().compactMap { index, shard in
            guard let primary = snapshot.node(id: shard.primaryId) else { return nil }
            var target = BackupTarget(shard: index, primary: primary, slots: shard.slots, node: nil)
            let primaryUsable = primary.isReachable && primary.health == .ok
            if source == .primaries {
                if primaryUsable { target.node = primary } else { target.problem = "primary \(primary.address) is \(describe(primary))" }
                return target
            }
            let replicas = shard.replicaIds.compactMap { snapshot.node(id: $0) }
            let healthy = replicas.filter { isHealthy($0, thresholds: thresholds) }
                .sorted { ($0.lagBytes ?? .max, $0.address) < ($1.lagBytes ?? .max, $1.address) }
            if let best = healthy.first {
                target.node = best
                return target
            }
            let why = replicas.isEmpty
                ? "the shard has no replica"
                : "no healthy replica (" + replicas.map { "\($0.address): \(replicaProblem($0, thresholds: thresholds) ?? "unhealthy")" }.joined(separator: "; ") + ")"
            if primaryUsable {
                target.node = primary
                target.fallbackReason = why + "; the primary saves instead"
            } else {
                target.problem = "\(why), and the primary \(primary.address) is \(describe(primary))"
            }
            return target
        }
    }

    public static func isHealthy(_ replica: SnapshotNode, thresholds: LagThresholds) -> Bool {
        replicaProblem(replica, thresholds: thresholds) == nil
    }

    static func replicaProblem(_ replica: SnapshotNode, thresholds: LagThresholds) -> String? {
        if !replica.isReachable { return "not answering" }
        if replica.health != .ok { return replica.health.rawValue }
        if replica.primaryLinkStatus != "up" { return "link \(replica.primaryLinkStatus ?? "unknown")" }
        if replica.syncInProgress == true { return "full sync in progress" }
        if let bytes = replica.lagBytes, bytes > thresholds.bytes { return "\(bytes) bytes behind" }
        if let seconds = replica.lagSeconds, seconds > thresholds.seconds { return "\(seconds) s behind" }
        return nil
    }

    static func describe(_ node: SnapshotNode) -> String {
        node.isReachable ? node.health.rawValue : "not answering"
    }
}
