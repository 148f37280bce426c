import ShardtopCore

/// Views of the current snapshot that keys and frames read again and again: nodes by id, the
/// widest address, and the nodes table's rows in their sort and filter. The reducer builds them
/// once per snapshot (and the rows again when the sort or filter changes), so a key or a frame
/// reads them instead of re-indexing and re-sorting every node: with 5,000 nodes that per-key
/// work was most of a 0.8 s answer.
struct SnapshotViews: Sendable {
    /// What the rows depend on besides the snapshot.
    struct RowsKey: Equatable, Sendable {
        var column: NodeColumn
        var ascending: Bool
        var filter: String

        init(_ view: NodesView) {
            column = view.sortColumn
            ascending = view.ascending
            filter = view.filter.text
        }
    }

    let index: NodeIndex
    /// The longest address, in scalars, for the nodes table's first column.
    let addressWidth: Int
    let tally: NodeTally
    var rowsKey: RowsKey
    var rows: [SnapshotNode]

    static func make(_ snapshot: ClusterSnapshot, nodes view: NodesView) -> SnapshotViews {
        let tally = NodeTally(snapshot)
        return SnapshotViews(
            index: NodeIndex(snapshot), addressWidth: tally.widestAddress, tally: tally,
            rowsKey: RowsKey(view), rows: NodesScreenModel.sortedRows(snapshot, view)
        )
    }

    /// Brings `state.views` up to date with the state; cheap when nothing it depends on changed.
    /// (`AppState.snapshot` drops the views whenever it is set.)
    static func refresh(_ state: inout AppState) {
        guard let snapshot = state.snapshot else { return }
        let key = RowsKey(state.nodes)
        guard var views = state.views else {
            state.views = make(snapshot, nodes: state.nodes)
            return
        }
        guard views.rowsKey != key else { return }
        views.rowsKey = key
        views.rows = NodesScreenModel.sortedRows(snapshot, state.nodes)
        state.views = views
    }
}

/// Counts and sums over every node that the header, the overview and the replication screen show
/// on every frame: one pass per snapshot instead of several filters per frame.
struct NodeTally: Sendable {
    var answering = 0
    var up = 0
    var unreachable = 0
    /// Marked fail or pfail by the cluster.
    var failed = 0
    var primaryKeys: Int64 = 0
    var primaryOps = 0
    var memory: Int64 = 0
    var worstLagBytes: Int64 = 0
    var widestAddress = 0

    init(_ snapshot: ClusterSnapshot?) {
        guard let nodes = snapshot?.nodes else { return }
        for index in nodes.indices {
            let health = nodes[index].health
            if nodes[index].error == nil { answering += 1 }
            if health == .ok { up += 1 }
            if health == .unreachable { unreachable += 1 }
            if health == .fail || health == .pfail { failed += 1 }
            if nodes[index].isPrimary {
                primaryKeys += nodes[index].keys ?? 0
                primaryOps += nodes[index].opsPerSec ?? 0
            }
            memory += nodes[index].usedMemory ?? 0
            worstLagBytes = max(worstLagBytes, nodes[index].lagBytes ?? 0)
            widestAddress = max(widestAddress, nodes[index].address.description.unicodeScalars.count)
        }
    }
}

extension AppState {
    /// Nodes by id for the current snapshot: the cached index, or a fresh one for a state the
    /// reducer has not seen (tests build states directly).
    var nodeIndex: NodeIndex { views?.index ?? NodeIndex(snapshot) }
    var nodeTally: NodeTally { views?.tally ?? NodeTally(snapshot) }
}
