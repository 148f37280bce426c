import ShardtopCore

extension ClusterPoller {
    /// Right after a slot moves or a failover, other nodes learn the new owners by gossip, and for
    /// a moment their views disagree with the majority. Commands that judge the cluster (`check`,
    /// the refusal check before an action) poll again while that lasts, up to `limit`, so a
    /// disagreement they report is one that persists, not one the last command left in flight.
    /// Returns the first snapshot in which every node agrees, or the last one taken. Every node is
    /// asked CLUSTER NODES on each of these ticks, whatever the poller's `topologyEveryTicks`.
    public func settled(_ snapshot: ClusterSnapshot, limit: Duration = .seconds(3)) async -> ClusterSnapshot {
        var current = snapshot
        let deadline = ContinuousClock.now + limit
        while !current.disagreeingNodes.isEmpty && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            current = await tick(fullTopology: true).snapshot
        }
        return current
    }
}
