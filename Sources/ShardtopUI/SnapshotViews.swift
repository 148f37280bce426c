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
    var rowsKey: RowsKey
    var rows: [SnapshotNode]

    /// Brings `state.views` up to date with the state; cheap when nothing it depends on changed.
    /// (`AppState.snapshot` drops the views whenever it is set.)
    static func refresh(_ state: inout AppState) {
        guard let snapshot = state.snapshot else { return }
        let key = RowsKey(state.nodes)
        guard var views = state.views else {
            state.views = SnapshotViews(
                index: NodeIndex(snapshot),
                addressWidth: snapshot.nodes.map { $0.address.description.unicodeScalars.count }.max() ?? 0,
                rowsKey: key, rows: NodesScreenModel.sortedRows(snapshot, state.nodes)
            )
            return
        }
        guard views.rowsKey != key else { return }
        views.rowsKey = key
        views.rows = NodesScreenModel.sortedRows(snapshot, state.nodes)
        state.views = views
    }
}

extension AppState {
    /// Nodes by id for the current snapshot: the cached index, or a fresh one for a state the
    /// reducer has not seen (tests build states directly).
    var nodeIndex: NodeIndex { views?.index ?? NodeIndex(snapshot) }
}
