import ShardtopCore

/// The nodes table's rows: filtered and sorted exactly as shown, so the reducer's selection and
/// the renderer agree on which node is "the selected one".
public enum NodesScreenModel {
    public static func rows(_ state: AppState) -> [SnapshotNode] {
        guard let snapshot = state.snapshot else { return [] }
        // Read several times per key and per frame: the reducer keeps it (SnapshotViews).
        if let views = state.views, views.rowsKey == SnapshotViews.RowsKey(state.nodes) { return views.rows }
        return sortedRows(snapshot, state.nodes)
    }

    /// The rows worked out from scratch: filtered, then sorted stably.
    static func sortedRows(_ snapshot: ClusterSnapshot, _ view: NodesView) -> [SnapshotNode] {
        let filter = view.filter
        // Without a filter every node matches: skip building each node's match strings.
        let filtered = filter.text.isEmpty ? snapshot.nodes : snapshot.nodes.filter {
            filter.matches($0.address.description, $0.id, $0.role.rawValue, $0.health.rawValue, $0.flags.joined(separator: ","))
        }
        let column = view.sortColumn
        let ascending = view.ascending
        // Stable order under ties: the snapshot's own order (primaries by slot, each with its replicas).
        // Positions are sorted, not the nodes themselves, so the sort moves integers instead of copying nodes.
        let order = filtered.indices.sorted { i, j in
            let order = compare(filtered[i], filtered[j], column)
            if order != 0 { return ascending ? order < 0 : order > 0 }
            return i < j
        }
        return order.map { filtered[$0] }
    }

    public static func selectedNode(_ state: AppState) -> SnapshotNode? {
        let rows = rows(state)
        guard !rows.isEmpty else { return nil }
        return rows[min(state.nodes.selected, rows.count - 1)]
    }

    public static func title(_ column: NodeColumn) -> String {
        switch column {
        case .address: "ADDRESS"
        case .role: "ROLE"
        case .primary: "PRIMARY"
        case .health: "HEALTH"
        case .slots: "SLOTS"
        case .keys: "KEYS"
        case .ops: "OPS/S"
        case .memory: "MEM"
        case .cpu: "CPU"
        case .clients: "CLI"
        case .offset: "OFFSET"
        case .lagBytes: "LAG"
        case .lagSeconds: "LAGS"
        case .link: "LINK"
        case .flags: "FLAGS"
        case .version: "VERSION"
        }
    }

    static func compare(_ a: SnapshotNode, _ b: SnapshotNode, _ column: NodeColumn) -> Int {
        func cmp<T: Comparable>(_ x: T?, _ y: T?) -> Int {
            switch (x, y) {
            case (nil, nil): 0
            case (nil, _): -1
            case (_, nil): 1
            case let (x?, y?): x < y ? -1 : x > y ? 1 : 0
            }
        }
        switch column {
        case .address: return cmp(a.address, b.address)
        case .role: return cmp(a.role.rawValue, b.role.rawValue)
        case .primary: return cmp(a.primaryId ?? "", b.primaryId ?? "")
        case .health: return cmp(a.health.severityRank, b.health.severityRank)
        case .slots: return cmp(a.slotCount, b.slotCount)
        case .keys: return cmp(a.keys, b.keys)
        case .ops: return cmp(a.opsPerSec, b.opsPerSec)
        case .memory: return cmp(a.usedMemory, b.usedMemory)
        case .cpu: return cmp(a.cpuPercent, b.cpuPercent)
        case .clients: return cmp(a.clients, b.clients)
        case .offset: return cmp(a.replicationOffset, b.replicationOffset)
        case .lagBytes: return cmp(a.lagBytes, b.lagBytes)
        case .lagSeconds: return cmp(a.lagSeconds, b.lagSeconds)
        case .link: return cmp(a.primaryLinkStatus ?? (a.linkConnected ? "connected" : "disconnected"), b.primaryLinkStatus ?? (b.linkConnected ? "connected" : "disconnected"))
        case .flags: return cmp(a.flags.joined(separator: ","), b.flags.joined(separator: ","))
        case .version: return cmp(a.version, b.version)
        }
    }
}
