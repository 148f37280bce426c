import ShardtopCore

/// A snapshot with what its arrival derives: the history with it recorded, the capacity forecasts
/// from that history, check's findings (for the lag, capacity and persistence thresholds) and the
/// snapshot's views (for the nodes table's sort and filter). With 5,000 nodes that is tens of
/// milliseconds, so the dashboard works it out on the poll task, before it takes the lock keys also
/// need, and the reducer only installs it (`Reducer.arrive`). Snapshots arrive one after another
/// from one task, so the history it started from is still the state's when it is installed.
public struct PreparedSnapshot: Sendable {
    let snapshot: ClusterSnapshot
    let lag: LagThresholds
    let capacity: CapacityThresholds
    let persistence: PersistenceThresholds
    let history: History
    let forecasts: [String: CapacityForecast]
    let findings: [Finding]
    let views: SnapshotViews

    /// Prepared for `state` as it is now; thresholds changed before it arrives are applied then.
    public init(_ snapshot: ClusterSnapshot, for state: AppState) {
        self.snapshot = snapshot
        lag = state.lagThresholds
        capacity = state.capacityThresholds
        persistence = state.persistenceThresholds
        var history = state.history
        history.record(snapshot)
        self.history = history
        forecasts = history.capacity.forecasts()
        findings = ClusterCheck.findings(snapshot, lag: lag, capacity: capacity, persistence: persistence, forecasts: forecasts)
        views = SnapshotViews.make(snapshot, nodes: state.nodes)
    }

    func sameThresholds(as state: AppState) -> Bool {
        lag == state.lagThresholds && capacity == state.capacityThresholds && persistence == state.persistenceThresholds
    }
}
