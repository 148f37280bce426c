/// How slots are moved. The legacy path works on every server; the atomic path (Valkey 9.0+
/// CLUSTER MIGRATESLOTS) moves whole slots inside the server and is many times faster.
public enum MigrationPath: String, Sendable, Codable, Hashable {
    case legacy
    case atomic
}

/// A key found by sampling before a migration, big enough to block both nodes while it moves.
public struct BigKey: Sendable, Hashable, Codable {
    public var key: String
    public var slot: Int
    public var bytes: Int64

    public init(key: String, slot: Int, bytes: Int64) {
        self.key = key
        self.slot = slot
        self.bytes = bytes
    }
}

/// One source, one target, a set of slots: the unit the migration engine executes. A request that
/// spans several owners becomes several plans (see MigrationPlanner).
public struct MigrationPlan: Sendable, Hashable, Codable {
    public var sourceId: String
    public var sourceAddress: NodeAddress
    public var targetId: String
    public var targetAddress: NodeAddress
    /// Sorted slot numbers, each once, all owned by the source when planned.
    public var slots: [Int]
    public var path: MigrationPath
    /// Why this path: which node lacks atomic migration, or that all involved nodes have it.
    public var pathReason: String
    /// Keys in the slots on the source (COUNTKEYSINSLOT), when counted.
    public var keyCount: Int?
    /// The biggest keys found by sampling with MEMORY USAGE, biggest first.
    public var bigKeys: [BigKey] = []

    public init(sourceId: String, sourceAddress: NodeAddress, targetId: String, targetAddress: NodeAddress,
                slots: [Int], path: MigrationPath, pathReason: String) {
        self.sourceId = sourceId
        self.sourceAddress = sourceAddress
        self.targetId = targetId
        self.targetAddress = targetAddress
        // Every plan passes here, so a slot asked for twice (`--slots 7,7`, overlapping ranges) is
        // moved once: a second pass would open a slot the source no longer owns and leave it open.
        self.slots = Array(Set(slots)).sorted()
        self.path = path
        self.pathReason = pathReason
    }

    public var ranges: [SlotRange] { SlotRange.ranges(fromSortedSlots: slots) }

    /// Keys above this size get a warning: MIGRATE of one such key blocks both nodes.
    public static let bigKeyWarningBytes: Int64 = 10 * 1024 * 1024

    public var warnings: [String] {
        bigKeys.filter { $0.bytes >= Self.bigKeyWarningBytes }.map {
            "key \($0.key) (slot \($0.slot)) is \(ByteCount.text($0.bytes)): moving it blocks both nodes and can trigger a failover"
        }
    }

    /// A rough duration from measured rates on loopback: per-slot round trips plus per-key copying.
    /// It is a preview figure, refined live by the progress display.
    public func estimatedSeconds() -> Double {
        let keys = Double(keyCount ?? slots.count * 100)
        switch path {
        case .legacy: return Double(slots.count) * 0.002 + keys / 60_000
        case .atomic: return Double(slots.count) * 0.0005 + keys / 400_000
        }
    }
}
