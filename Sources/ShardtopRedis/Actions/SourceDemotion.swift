import ShardtopCore

/// A primary that gives its last slot away is made a replica of the node that took it, by the
/// server itself when `cluster-allow-replica-migration` is yes (the default), or when every slot
/// it lost went to that one node (redis 7.0 `clusterUpdateSlotsConfigWith`, on the gossip that
/// carries the new owner's claim with a higher config epoch). In a full drain the target's claim on the last round often reaches
/// the source by gossip between our SETSLOT NODE on the target and on the source; the source is
/// then already a replica and refuses ours ("Please use SETSLOT only with masters"). That is the
/// drain having worked, not failed: this tells the two apart by asking the source what it is.
enum SourceDemotion {
    /// Whether the source now replicates the target (its own CLUSTER NODES line says so).
    static func isReplica(_ source: RedisConnection, of targetId: String) async -> Bool {
        await primary(of: source) == targetId
    }

    /// Whether the source is now a replica at all: when several moves drain it at once, the last
    /// slot may have gone to any of their targets.
    static func isReplica(_ source: RedisConnection) async -> Bool {
        await primary(of: source) != nil
    }

    /// The primary the node follows, by its own CLUSTER NODES line; nil for a primary or no answer.
    private static func primary(of source: RedisConnection) async -> String? {
        guard let reply = try? await source.send([["CLUSTER", "NODES"]]).first, let text = reply.string,
              let myself = (try? ClusterNodesParser.parse(text))?.first(where: { $0.flags.contains(.myself) }) else { return nil }
        return myself.role == .replica ? myself.primaryID : nil
    }

    static func note(source: NodeAddress, target: NodeAddress) -> String {
        "every slot of \(source) moved; with none left, the server made it a replica of \(target) (cluster-allow-replica-migration)"
    }
}
