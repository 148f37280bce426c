import ShardtopCore

/// A snapshot with what its arrival derives that depends on little else: check's findings (for the
/// lag thresholds) and the snapshot's views (for the nodes table's sort and filter). With 5,000
/// nodes that is tens of milliseconds, so the dashboard works it out on the poll task, before it
/// takes the lock keys also need, and the reducer only installs it (`Reducer.arrive`).
public struct PreparedSnapshot: Sendable {
    let snapshot: ClusterSnapshot
    let lag: LagThresholds
    let findings: [Finding]
    let views: SnapshotViews

    /// Prepared for `state` as it is now; whatever changes before it arrives is redone then.
    public init(_ snapshot: ClusterSnapshot, for state: AppState) {
        self.snapshot = snapshot
        lag = state.lagThresholds
        findings = ClusterCheck.findings(snapshot, lag: lag)
        views = SnapshotViews.make(snapshot, nodes: state.nodes)
    }
}
