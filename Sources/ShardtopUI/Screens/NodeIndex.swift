import ShardtopCore

/// Nodes by id, built once per frame. `ClusterSnapshot.node(id:)` scans every node, so calling it
/// per shard, per replica or per event makes a frame quadratic in the cluster size (30 ms and more
/// at 1000 nodes); screens that look nodes up in a loop use this instead. Same answers: the first
/// node with the id, as `node(id:)` returns.
struct NodeIndex {
    private let nodes: [SnapshotNode]
    private let positions: [String: Int]

    init(_ snapshot: ClusterSnapshot?) {
        nodes = snapshot?.nodes ?? []
        var positions: [String: Int] = [:]
        positions.reserveCapacity(nodes.count)
        for (position, node) in nodes.enumerated() where positions[node.id] == nil {
            positions[node.id] = position
        }
        self.positions = positions
    }

    func node(id: String) -> SnapshotNode? {
        positions[id].map { nodes[$0] }
    }
}
