/// Typed observations of one node, produced by a connector at the edge.
/// Nothing here knows about RESP; a connector parses its wire format into these values.

/// Flags of one CLUSTER NODES line.
public struct NodeFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let myself = NodeFlags(rawValue: 1 << 0)
    public static let primary = NodeFlags(rawValue: 1 << 1)
    public static let replica = NodeFlags(rawValue: 1 << 2)
    /// `fail?`: this viewer suspects the node (PFAIL).
    public static let pfail = NodeFlags(rawValue: 1 << 3)
    /// `fail`: a majority of primaries agreed the node failed.
    public static let fail = NodeFlags(rawValue: 1 << 4)
    public static let handshake = NodeFlags(rawValue: 1 << 5)
    public static let noaddr = NodeFlags(rawValue: 1 << 6)
    public static let nofailover = NodeFlags(rawValue: 1 << 7)

    private static let primaryNames = ["primary"]
    private static let replicaNames = ["replica"]

    /// Flag names in primary/replica naming, for display and JSON.
    public var names: [String] {
        // The two a healthy cluster shows, shared: every node's flags are named every tick, and
        // equal lists that share storage compare at once (the diff compares them every tick).
        if self == .primary { return Self.primaryNames }
        if self == .replica { return Self.replicaNames }
        var result: [String] = []
        if contains(.myself) { result.append("myself") }
        if contains(.primary) { result.append("primary") }
        if contains(.replica) { result.append("replica") }
        if contains(.pfail) { result.append("pfail") }
        if contains(.fail) { result.append("fail") }
        if contains(.handshake) { result.append("handshake") }
        if contains(.noaddr) { result.append("noaddr") }
        if contains(.nofailover) { result.append("nofailover") }
        return result
    }
}

/// A slot a primary has marked open on its own line: moving out to, or coming in from, a peer.
public struct OpenSlotMark: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable, Codable {
        case migrating
        case importing
    }

    public var slot: Int
    public var direction: Direction
    public var peerID: String

    public init(slot: Int, direction: Direction, peerID: String) {
        self.slot = slot
        self.direction = direction
        self.peerID = peerID
    }
}

/// One line of CLUSTER NODES: how the viewing node sees one node of the cluster.
public struct TopologyEntry: Hashable, Sendable {
    public var id: String
    /// nil while the address is unknown (handshake, noaddr: the wire shows ":0").
    public var address: NodeAddress?
    public var busPort: Int?
    public var hostname: String?
    public var flags: NodeFlags
    public var primaryID: String?
    /// The two gossip timestamps: a poller that finds a reply unchanged in everything else keeps
    /// the entries of the last one it parsed, so these can be that reply's (see ParsedTopology).
    public var pingSentMillis: Int64
    public var pongReceivedMillis: Int64
    public var configEpoch: Int64
    public var linkConnected: Bool
    public var slots: [SlotRange]
    /// Only present on the viewer's own (`myself`) line: the server shows open slots nowhere else.
    public var openSlots: [OpenSlotMark]

    public init(
        id: String, address: NodeAddress?, busPort: Int? = nil, hostname: String? = nil,
        flags: NodeFlags, primaryID: String?, pingSentMillis: Int64 = 0, pongReceivedMillis: Int64 = 0,
        configEpoch: Int64, linkConnected: Bool, slots: [SlotRange], openSlots: [OpenSlotMark] = []
    ) {
        self.id = id
        self.address = address
        self.busPort = busPort
        self.hostname = hostname
        self.flags = flags
        self.primaryID = primaryID
        self.pingSentMillis = pingSentMillis
        self.pongReceivedMillis = pongReceivedMillis
        self.configEpoch = configEpoch
        self.linkConnected = linkConnected
        self.slots = slots
        self.openSlots = openSlots
    }

    public var role: NodeRole { flags.contains(.replica) ? .replica : .primary }
}

/// CLUSTER INFO, typed.
public struct ClusterInfoReport: Hashable, Sendable {
    public var state: String
    public var slotsAssigned: Int
    public var slotsOK: Int
    public var slotsPFail: Int
    public var slotsFail: Int
    public var knownNodes: Int
    public var size: Int
    public var currentEpoch: Int64
    public var myEpoch: Int64

    public init(
        state: String, slotsAssigned: Int = 0, slotsOK: Int = 0, slotsPFail: Int = 0, slotsFail: Int = 0,
        knownNodes: Int = 0, size: Int = 0, currentEpoch: Int64 = 0, myEpoch: Int64 = 0
    ) {
        self.state = state
        self.slotsAssigned = slotsAssigned
        self.slotsOK = slotsOK
        self.slotsPFail = slotsPFail
        self.slotsFail = slotsFail
        self.knownNodes = knownNodes
        self.size = size
        self.currentEpoch = currentEpoch
        self.myEpoch = myEpoch
    }
}

/// What a primary's INFO replication says about one of its replicas (`slaveN:` lines).
public struct ReplicaAck: Hashable, Sendable {
    public var address: NodeAddress
    public var state: String
    public var offset: Int64
    /// Seconds since the replica last acknowledged (the server's own `lag=` field).
    public var lagSeconds: Int

    public init(address: NodeAddress, state: String, offset: Int64, lagSeconds: Int) {
        self.address = address
        self.state = state
        self.offset = offset
        self.lagSeconds = lagSeconds
    }
}

/// One multi-section INFO reply, typed. Fields a server does not report stay nil.
public struct ServerInfo: Hashable, Sendable {
    /// "redis" or "valkey".
    public var serverName: String
    public var version: String
    public var role: NodeRole?
    public var uptimeSeconds: Int64?
    public var opsPerSec: Int?
    public var totalCommands: Int64?
    public var usedMemory: Int64?
    public var maxMemory: Int64?
    /// `maxmemory_policy` as the server names it (noeviction, allkeys-lru, ...).
    public var maxMemoryPolicy: String?
    /// `mem_fragmentation_ratio`: RSS over used memory.
    public var fragmentationRatio: Double?
    /// Counters since the server started (INFO stats); rates come from two polls.
    public var evictedKeysTotal: Int64?
    public var expiredKeysTotal: Int64?
    public var keys: Int64
    public var connectedClients: Int?
    public var maxClients: Int?
    public var cpuSystemSeconds: Double?
    public var cpuUserSeconds: Double?
    public var loading: Bool
    /// On a primary: master_repl_offset. On a replica: slave_repl_offset (what it has processed).
    public var replicationOffset: Int64?
    public var replicas: [ReplicaAck]
    // Replica side.
    public var primaryAddress: NodeAddress?
    public var primaryLinkUp: Bool?
    public var primaryLastIOSecondsAgo: Int?
    public var primaryLinkDownSinceSeconds: Int?
    public var syncInProgress: Bool?
    public var syncPercent: Double?
    /// RDB, AOF and loading state (INFO persistence).
    public var persistence: PersistenceInfo

    public init(serverName: String = "redis", version: String = "", keys: Int64 = 0, loading: Bool = false) {
        self.serverName = serverName
        self.version = version
        self.keys = keys
        self.loading = loading
        self.replicas = []
        self.persistence = PersistenceInfo(loading: loading)
    }
}

/// The result of polling one node once: either its three replies, typed, or why it did not answer.
public struct NodeReport: Sendable {
    public enum Outcome: Sendable {
        case answered(topology: [TopologyEntry], clusterInfo: ClusterInfoReport, info: ServerInfo)
        case failed(reason: String)
    }

    /// The address shardtop dialled.
    public var address: NodeAddress
    /// Seconds since the Unix epoch at which the reply (or the failure) arrived.
    public var time: Double
    /// How long the round trip took, in seconds (nil when it failed).
    public var roundTripSeconds: Double?
    public var outcome: Outcome
    /// Identifies the text of the CLUSTER NODES reply behind `outcome`: equal tokens from one node
    /// mean byte-identical replies (so the same topology), which lets the assembler reuse its work
    /// (`TopologyMemo`). nil when the connector does not say.
    public var topologyToken: UInt64?

    public init(address: NodeAddress, time: Double, roundTripSeconds: Double? = nil, outcome: Outcome, topologyToken: UInt64? = nil) {
        self.address = address
        self.time = time
        self.roundTripSeconds = roundTripSeconds
        self.outcome = outcome
        self.topologyToken = topologyToken
    }

    /// The viewer's own line, when it answered.
    public var myself: TopologyEntry? {
        guard case .answered(let topology, _, _) = outcome else { return nil }
        return topology.first { $0.flags.contains(.myself) }
    }
}
