/// One node as shardtop sees it at one moment, assembled from every node's view.
public struct SnapshotNode: Hashable, Sendable, Codable {
    /// The 40-character node id, or "?host:port" for an address that never answered (a seed, say).
    public var id: String
    public var address: NodeAddress
    /// The hostname the node announces (cluster-announce-hostname, Redis 7+), e.g. a pod's DNS
    /// name in Kubernetes; nil when it announces none. It comes from gossip, so it is shown
    /// sanitised and is only ever one argument of a log command, never the program.
    public var hostname: String?
    public var role: NodeRole
    /// The primary it replicates; nil for a primary.
    public var primaryId: String?
    public var health: NodeHealth
    /// Flags the majority of viewers report for this node (primary/replica naming).
    public var flags: [String]
    /// Whether the cluster bus link to this node is up, as most viewers see it.
    public var linkConnected: Bool
    public var configEpoch: Int64
    public var slots: [SlotRange]
    public var server: String?
    public var version: String?
    public var opsPerSec: Int?
    public var usedMemory: Int64?
    /// 0 means no limit (the server's own convention).
    public var maxMemory: Int64?
    public var maxMemoryPolicy: String?
    public var fragmentationRatio: Double?
    /// Counters since the node started; the next snapshot diffs them into the rates below.
    public var evictedKeys: Int64?
    public var expiredKeys: Int64?
    /// Keys evicted / expired per second between the last two polls of this node.
    public var evictedKeysPerSec: Double?
    public var expiredKeysPerSec: Double?
    public var keys: Int64?
    public var clients: Int?
    public var maxClients: Int?
    /// RDB, AOF and loading state, from the node's own INFO.
    public var persistence: PersistenceInfo?
    public var cpuPercent: Double?
    public var replicationOffset: Int64?
    /// Replica only: "up" or "down" (the server's master_link_status).
    public var primaryLinkStatus: String?
    /// Replica only: how many bytes of its primary's replication stream it has not yet processed.
    public var lagBytes: Int64?
    /// Replica only: seconds since it last acknowledged its primary, or since its link went down.
    public var lagSeconds: Int?
    public var syncInProgress: Bool?
    public var syncPercent: Double?
    /// Why this client could not poll the node, when it could not.
    public var error: String?
    /// When this node's data was last refreshed (seconds since the Unix epoch).
    public var lastSeen: Double?
    public var roundTripMillis: Double?
    /// used_cpu_sys + used_cpu_user at `lastSeen`; the next snapshot diffs it into `cpuPercent`.
    public var cpuSecondsTotal: Double?

    public init(id: String, address: NodeAddress, role: NodeRole, health: NodeHealth) {
        self.id = id
        self.address = address
        self.role = role
        self.health = health
        self.flags = []
        self.linkConnected = true
        self.configEpoch = 0
        self.slots = []
    }

    public var isPrimary: Bool { role == .primary }
    /// A dialled address that no answering node knows (a wrong seed): not a cluster member.
    /// The assembler gives such entries the id "?host:port".
    public var isUnknownSeed: Bool { id.utf8.first == UInt8(ascii: "?") }
    public var isReachable: Bool { error == nil }
    public var slotCount: Int { SlotRange.total(slots) }
}

extension SnapshotNode {
    private enum CodingKeys: String, CodingKey {
        case id, address, hostname, role, primaryId, health, flags, linkConnected, configEpoch, slots, server, version
        case opsPerSec, usedMemory, maxMemory, maxMemoryPolicy, fragmentationRatio, evictedKeys, expiredKeys
        case evictedKeysPerSec, expiredKeysPerSec, keys, clients, maxClients, persistence, cpuPercent, replicationOffset, primaryLinkStatus
        case lagBytes, lagSeconds, syncInProgress, syncPercent, error, lastSeen, roundTripMillis, cpuSecondsTotal
    }

    /// Written by hand so that a missing value appears as `null` instead of vanishing:
    /// `"primaryId": null` tells a script "this is a primary", an absent key tells it nothing.
    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}

extension SnapshotNode: JSONRepresentable {
    /// The node's object in `snapshot --json` and in recordings; keys are `CodingKeys`' names,
    /// which decoding reads back, listed in the byte order `JSONText` writes them in.
    public var jsonValue: JSONValue {
        .object([
            JSONMember("address", address.jsonValue),
            JSONMember("clients", JSONValue(clients)),
            JSONMember("configEpoch", .int(configEpoch)),
            JSONMember("cpuPercent", JSONValue(cpuPercent)),
            JSONMember("cpuSecondsTotal", JSONValue(cpuSecondsTotal)),
            JSONMember("error", JSONValue(error)),
            JSONMember("evictedKeys", JSONValue(evictedKeys)),
            JSONMember("evictedKeysPerSec", JSONValue(evictedKeysPerSec)),
            JSONMember("expiredKeys", JSONValue(expiredKeys)),
            JSONMember("expiredKeysPerSec", JSONValue(expiredKeysPerSec)),
            JSONMember("flags", JSONValue(flags)),
            JSONMember("fragmentationRatio", JSONValue(fragmentationRatio)),
            JSONMember("health", JSONValue(health)),
            JSONMember("hostname", JSONValue(hostname)),
            JSONMember("id", .string(id)),
            JSONMember("keys", JSONValue(keys)),
            JSONMember("lagBytes", JSONValue(lagBytes)),
            JSONMember("lagSeconds", JSONValue(lagSeconds)),
            JSONMember("lastSeen", JSONValue(lastSeen)),
            JSONMember("linkConnected", .bool(linkConnected)),
            JSONMember("maxClients", JSONValue(maxClients)),
            JSONMember("maxMemory", JSONValue(maxMemory)),
            JSONMember("maxMemoryPolicy", JSONValue(maxMemoryPolicy)),
            JSONMember("opsPerSec", JSONValue(opsPerSec)),
            JSONMember("persistence", JSONValue(persistence)),
            JSONMember("primaryId", JSONValue(primaryId)),
            JSONMember("primaryLinkStatus", JSONValue(primaryLinkStatus)),
            JSONMember("replicationOffset", JSONValue(replicationOffset)),
            JSONMember("role", JSONValue(role)),
            JSONMember("roundTripMillis", JSONValue(roundTripMillis)),
            JSONMember("server", JSONValue(server)),
            JSONMember("slots", JSONValue(slots)),
            JSONMember("syncInProgress", JSONValue(syncInProgress)),
            JSONMember("syncPercent", JSONValue(syncPercent)),
            JSONMember("usedMemory", JSONValue(usedMemory)),
            JSONMember("version", JSONValue(version)),
        ])
    }
}

/// A slot in the middle of a move, as reported by the primary holding the mark.
public struct OpenSlot: Hashable, Sendable, Codable {
    public var slot: Int
    public var state: OpenSlotMark.Direction
    /// The node that holds the mark.
    public var node: String
    /// The node on the other side of the move.
    public var peer: String

    public init(slot: Int, state: OpenSlotMark.Direction, node: String, peer: String) {
        self.slot = slot
        self.state = state
        self.node = node
        self.peer = peer
    }
}

/// A primary and the replicas that follow it.
public struct Shard: Hashable, Sendable, Codable {
    public var primaryId: String
    public var replicaIds: [String]
    public var slots: [SlotRange]

    public init(primaryId: String, replicaIds: [String], slots: [SlotRange]) {
        self.primaryId = primaryId
        self.replicaIds = replicaIds
        self.slots = slots
    }
}

/// Something worth an operator's attention, found by `ClusterCheck`.
public struct Finding: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        /// Worth knowing, not a problem by itself (e.g. no maxmemory on a primary, which a lab or
        /// a cache-less deployment may mean): shown and printed, never counted as a warning.
        case info
        case warning
        case error

        private var rank: Int {
            switch self {
            case .info: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

        /// Five characters wide, for one-line text output: "ERROR", "WARN ", "NOTE ".
        public var label: String {
            switch self {
            case .info: "NOTE "
            case .warning: "WARN "
            case .error: "ERROR"
            }
        }
    }

    public var severity: Severity
    /// Stable machine-readable name, e.g. "uncovered-slots".
    public var code: String
    public var message: String
    public var nodes: [String]

    public init(severity: Severity, code: String, message: String, nodes: [String] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.nodes = nodes
    }
}

extension OpenSlot: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object([JSONMember("node", .string(node)), JSONMember("peer", .string(peer)),
                 JSONMember("slot", .int(Int64(slot))), JSONMember("state", JSONValue(state))])
    }
}

extension Shard: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object([JSONMember("primaryId", .string(primaryId)), JSONMember("replicaIds", JSONValue(replicaIds)),
                 JSONMember("slots", JSONValue(slots))])
    }
}

extension Finding: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object([JSONMember("code", .string(code)), JSONMember("message", .string(message)),
                 JSONMember("nodes", JSONValue(nodes)), JSONMember("severity", JSONValue(severity))])
    }
}

/// The whole cluster at one moment. Plain values: the UI, the events diff, `check` and `--json`
/// all read this one type, so the headless commands print exactly what the dashboard shows.
public struct ClusterSnapshot: Sendable {
    /// Seconds since the Unix epoch when this snapshot was assembled.
    public var time: Double
    /// cluster_state as most reachable nodes report it ("ok" or "fail"), or "unknown".
    public var state: String
    public var nodes: [SnapshotNode]
    public var shards: [Shard]
    /// Owner node id of every slot (index = slot), from the majority view; nil = nobody serves it.
    public var slotOwners: SlotOwners
    public var openSlots: [OpenSlot]
    /// Node ids whose view of slot ownership differs from the majority's.
    public var disagreeingNodes: [String]
    public var currentEpoch: Int64

    public init(
        time: Double, state: String, nodes: [SnapshotNode], shards: [Shard], slotOwners: SlotOwners,
        openSlots: [OpenSlot], disagreeingNodes: [String], currentEpoch: Int64 = 0
    ) {
        self.time = time
        self.state = state
        self.nodes = nodes
        self.shards = shards
        self.slotOwners = slotOwners
        self.openSlots = openSlots
        self.disagreeingNodes = disagreeingNodes
        self.currentEpoch = currentEpoch
    }

    public var slotsCovered: Int { slotOwners.coveredCount }

    /// Each open slot once, sorted. `openSlots` has one entry per mark, and a slot in the middle of a
    /// move carries two (MIGRATING on the source, IMPORTING on the target): counting those said
    /// "open 2000" for 1000 slots.
    public var openSlotNumbers: [Int] { Set(openSlots.map(\.slot)).sorted() }

    /// Slots nobody serves, folded into ranges.
    public var uncoveredSlots: [SlotRange] {
        SlotRange.ranges(fromSortedSlots: slotOwners.indices.filter { slotOwners[$0] == nil })
    }

    public func node(id: String) -> SnapshotNode? { nodes.first { $0.id == id } }
    public var primaries: [SnapshotNode] { nodes.filter(\.isPrimary) }
    /// The primaries that answered this poll (not a seed nobody lists): the ones a migration's
    /// finalise tells, and an action may touch.
    public var reachablePrimaryAddresses: [NodeAddress] {
        primaries.filter { !$0.isUnknownSeed && $0.isReachable }.map(\.address)
    }
    public func replicas(of primaryId: String) -> [SnapshotNode] { nodes.filter { $0.primaryId == primaryId } }
}
