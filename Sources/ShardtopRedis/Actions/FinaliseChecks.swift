import ShardtopCore

/// Everything that must hold before a round of slots is finalised, read with one request per node,
/// both nodes at once, instead of one round trip per check:
/// - the premature-finalise guard: COUNTKEYSINSLOT on the source reads zero for every slot. It is
///   sent on the connection that sent the MIGRATEs, so the source counts after all of them;
/// - the epoch guard: the target already knows the source's current config epoch;
/// - with `recheckMarks` (not for `fix`): both nodes still show each slot open exactly as we opened it.
/// When the target has not yet heard the source's epoch (rare: gossip is behind), the epoch guard
/// waits as it always did, and the keys are re-counted and the marks read again after the wait.
enum FinaliseChecks {
    static func run(_ slots: [Int], source: RedisConnection, sourceId: String, target: RedisConnection, targetId: String,
                    recheckMarks: Bool) async throws {
        let nodes = [["CLUSTER", "NODES"]]
        async let onTarget = target.run("CLUSTER NODES (epoch guard)", nodes)
        let onSource = try await source.run("finalise guard (COUNTKEYSINSLOT)", FinaliseGuard.commands(slots) + nodes)
        let targetNodes = try await onTarget[0]
        try FinaliseGuard.evaluate(slots, counts: Array(onSource.prefix(slots.count)), source: source.address)
        guard let sourceNodes = onSource.last, onSource.count == slots.count + 1 else {
            throw ActionError.refused(step: "CLUSTER NODES (epoch guard)", node: source.address, reply: "no reply")
        }
        let own = try EpochGuard.epoch(of: sourceId, in: sourceNodes, node: source.address)
        let seen = try EpochGuard.epoch(of: sourceId, in: targetNodes, node: target.address)
        if let own, let seen, seen >= own {
            if recheckMarks {
                try OtherActivity.checkStillOurs(slots, sourceNodes: sourceNodes, source: source, sourceId: sourceId,
                                                 targetNodes: targetNodes, target: target, targetId: targetId)
            }
            return
        }
        try await EpochGuard.waitUntilTargetKnowsEpoch(of: sourceId, source: source, target: target)
        try await FinaliseGuard.check(slots, on: source)
        if recheckMarks {
            try await OtherActivity.checkStillOurs(slots, source: source, sourceId: sourceId, target: target, targetId: targetId)
        }
    }
}
