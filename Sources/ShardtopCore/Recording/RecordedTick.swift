/// One line of a recording: a snapshot and the events that came with it. Slot ownership is stored
/// as ranges ([start, end, owner index]) instead of 16384 ids, which keeps a line to a few KB.
public struct RecordedTick: Sendable, Codable, Equatable {
    public var time: Double
    public var state: String
    public var nodes: [SnapshotNode]
    public var shards: [Shard]
    /// [start, end, index into `owners`]; slots in no range have no owner.
    public var ownedRanges: [[Int]]
    public var owners: [String]
    public var openSlots: [OpenSlot]
    public var disagreeingNodes: [String]
    public var currentEpoch: Int64
    public var events: [ClusterEvent]

    public init(snapshot: ClusterSnapshot, events: [ClusterEvent]) {
        time = snapshot.time
        state = snapshot.state
        nodes = snapshot.nodes
        shards = snapshot.shards
        openSlots = snapshot.openSlots
        disagreeingNodes = snapshot.disagreeingNodes
        currentEpoch = snapshot.currentEpoch
        self.events = events
        var owners: [String] = []
        var index: [String: Int] = [:]
        var ranges: [[Int]] = []
        var slot = 0
        while slot < hashSlotCount {
            guard let owner = snapshot.slotOwners[slot] else { slot += 1; continue }
            var end = slot
            while end + 1 < hashSlotCount, snapshot.slotOwners[end + 1] == owner { end += 1 }
            let ownerIndex = index[owner] ?? {
                owners.append(owner)
                index[owner] = owners.count - 1
                return owners.count - 1
            }()
            ranges.append([slot, end, ownerIndex])
            slot = end + 1
        }
        self.owners = owners
        ownedRanges = ranges
    }

    public var snapshot: ClusterSnapshot {
        let slotOwners = SlotOwners(owners: owners, runs: ownedRanges.compactMap { range in
            range.count == 3 ? (start: range[0], end: range[1], owner: range[2]) : nil
        })
        return ClusterSnapshot(time: time, state: state, nodes: nodes, shards: shards, slotOwners: slotOwners,
                               openSlots: openSlots, disagreeingNodes: disagreeingNodes, currentEpoch: currentEpoch)
    }
}

/// The first line of a recording: what it is and where it came from.
public struct RecordingHeader: Sendable, Codable, Equatable {
    public static let formatName = "shardtop-recording"
    public var format: String
    public var version: Int
    public var seed: String
    public var started: Double

    public init(seed: String, started: Double) {
        format = Self.formatName
        version = 1
        self.seed = seed
        self.started = started
    }
}
