import ShardtopCore

/// What a node's cheap replies (CLUSTER INFO and INFO, sent every tick) say about its view of
/// the cluster. When it equals the one read beside the node's last CLUSTER NODES, nothing these
/// replies can show has moved, and the CLUSTER NODES (n lines in an n-node cluster, so n^2 lines
/// a tick in all) need not be asked again this tick.
///
/// It cannot catch everything CLUSTER NODES shows: `CLUSTER SETSLOT ... IMPORTING/MIGRATING`
/// (open slots), a replica's PFAIL/FAIL in the others' views, ping times and bus links move no
/// counter here, and a slot handed to a node that already holds the highest config epoch bumps
/// no epoch. Those are caught by asking anyway every `TopologyRefresh.everyTicks` ticks.
struct TopologySignature: Equatable, Sendable {
    /// cluster_state, the epochs, known nodes, size and the slot counters (assigned, ok, pfail, fail).
    let clusterInfo: ClusterInfoReport
    /// INFO replication: a failover or a CLUSTER REPLICATE shows here at once on the node itself.
    let role: NodeRole?
    let primary: NodeAddress?
    /// A primary's replicas as its INFO lists them: one joining or leaving shows here.
    let replicas: [NodeAddress]

    init(clusterInfo: ClusterInfoReport, info: ServerInfo) {
        self.clusterInfo = clusterInfo
        role = info.role
        primary = info.primaryAddress
        replicas = info.replicas.map(\.address).sorted()
    }
}

/// Whether one poll of one node carries CLUSTER NODES.
enum TopologyAsk: Sendable {
    /// In the poll's one pipeline (first poll, a new connection, or the node is due).
    case always
    /// Only when the node's cheap replies differ from `signature`, or the client opened a new
    /// connection since `connection`; then as a second round trip to that node alone.
    case ifChanged(signature: TopologySignature, connection: Int)
}

/// How a poll's CLUSTER NODES came about, for `ClusterPoller.work`.
enum TopologyAsked: Sendable {
    case inPoll
    case secondTrip
    /// Not asked: the entries are the node's last reading.
    case skipped
}

/// The poller's rule for asking CLUSTER NODES less often (issue 12): per node, on a new
/// connection and the first poll; again in the same tick when its signature moved; otherwise
/// every `everyTicks` ticks, staggered across the nodes so each tick asks about 1/everyTicks of
/// them. A view in the snapshot is then at most `everyTicks - 1` ticks older than the tick.
struct TopologyRefresh: Sendable {
    /// 1 asks every node every tick (what one-shot commands and actions want).
    var everyTicks: Int
    private var tick = 0
    /// Per node: the signature read beside its last CLUSTER NODES, the client's connection count
    /// then, and the tick it was read on.
    private var known: [NodeAddress: (signature: TopologySignature, connection: Int, tick: Int)] = [:]

    init(everyTicks: Int) { self.everyTicks = max(1, everyTicks) }

    mutating func startTick() { tick += 1 }

    func ask(_ address: NodeAddress, forceAll: Bool) -> TopologyAsk {
        guard everyTicks > 1, !forceAll, let last = known[address], tick - last.tick < everyTicks else { return .always }
        return .ifChanged(signature: last.signature, connection: last.connection)
    }

    /// After a poll that answered. `position` staggers a node's first reading, so that nodes
    /// discovered together do not all fall due on the same later tick.
    mutating func answered(_ address: NodeAddress, asked: TopologyAsked, signature: TopologySignature, connection: Int, position: Int) {
        switch asked {
        case .skipped:
            return
        case .inPoll, .secondTrip:
            let stagger = known[address] == nil ? position % everyTicks : 0
            known[address] = (signature, connection, tick - stagger)
        }
    }

    /// A failed poll: the next answer comes on a new connection, maybe from a restarted node.
    mutating func failed(_ address: NodeAddress) { known[address] = nil }

    mutating func forget(_ address: NodeAddress) { known[address] = nil }
}
