/// What `shardtop plan` is asked: a per-primary memory budget, a number of primaries to add, a
/// headroom to keep, or a combination (the budget and headroom together set how much data one
/// primary may hold).
public struct CapacityGoal: Hashable, Sendable {
    /// Bytes one primary may use; nil = the primaries' own maxmemory (the smallest one).
    public var targetMemory: Int64?
    /// Primaries to add, whatever the data needs.
    public var addPrimaries: Int?
    /// Percent of the budget to keep free.
    public var headroomPercent: Double?

    public init(targetMemory: Int64? = nil, addPrimaries: Int? = nil, headroomPercent: Double? = nil) {
        self.targetMemory = targetMemory
        self.addPrimaries = addPrimaries
        self.headroomPercent = headroomPercent
    }
}

/// One move of the plan: slots from an existing primary to one to be added (or, with no primary
/// to add, between existing ones), with what it carries and how long it should take.
public struct CapacityMove: Hashable, Sendable {
    public var fromId: String
    /// The id of an existing primary, or `CapacityPlanner.newPrimaryID(n)`.
    public var toId: String
    public var slots: [Int]
    /// nil when keys per slot could not be counted.
    public var keys: Int?
    public var bytes: Int64?
    public var path: MigrationPath
    public var seconds: Double

    public var ranges: [SlotRange] { SlotRange.ranges(fromSortedSlots: slots) }
}

/// The dry run `shardtop plan` prints.
public struct CapacityPlan: Hashable, Sendable {
    public var primaries: Int
    /// Used memory summed over the primaries (what maxmemory is measured against).
    public var usedMemory: Int64
    public var keys: Int64
    /// The smallest maxmemory among the primaries; nil when none has one.
    public var smallestMaxMemory: Int64?
    /// What one primary may hold: the budget minus the headroom; nil without a budget.
    public var usableMemory: Int64?
    /// Primaries the data needs at that budget; nil without a budget.
    public var needed: Int?
    public var adding: Int
    public var metric: RebalanceMetric
    public var moves: [CapacityMove]
    /// The largest primary's estimated memory once the moves are done.
    public var largestAfter: Int64

    public var slotsMoved: Int { moves.reduce(0) { $0 + $1.slots.count } }
    public var keysMoved: Int? { moves.allSatisfy { $0.keys != nil } ? moves.reduce(0) { $0 + ($1.keys ?? 0) } : nil }
    public var bytesMoved: Int64? { moves.allSatisfy { $0.bytes != nil } ? moves.reduce(0) { $0 + ($1.bytes ?? 0) } : nil }
    /// Moves run one after another, as `rebalance` runs them.
    public var seconds: Double { moves.reduce(0) { $0 + $1.seconds } }
}

public enum CapacityPlanner {
    public enum PlanError: Error, Equatable, CustomStringConvertible {
        case noBudget
        case noPrimaries

        public var description: String {
            switch self {
            case .noBudget: "no primary has a maxmemory: give --target-memory SIZE, the memory one primary may use"
            case .noPrimaries: "no reachable primary owns slots: nothing to plan"
            }
        }
    }

    /// Placeholder id of the n-th primary to add (1-based); never a real node id (those are hex).
    public static func newPrimaryID(_ n: Int) -> String { "new-primary-\(n)" }

    /// - Parameters:
    ///   - slotKeys: keys per slot (CLUSTER SLOT-STATS or COUNTKEYSINSLOT), for keys and bytes per
    ///     move; empty when they could not be counted.
    ///   - metric: what the moves even out, as `rebalance --by` does. Slots by default: hashing
    ///     spreads keys evenly over slots, and it is what `rebalance` runs without options.
    public static func plan(
        _ snapshot: ClusterSnapshot, goal: CapacityGoal, slotKeys: [Int: Int] = [:], metric: RebalanceMetric = .slots
    ) throws(PlanError) -> CapacityPlan {
        let primaries = snapshot.primaries.filter { !$0.isUnknownSeed && $0.isReachable && $0.slotCount > 0 }
        guard !primaries.isEmpty else { throw .noPrimaries }
        let used = primaries.compactMap(\.usedMemory).reduce(0, +)
        let keys = primaries.compactMap(\.keys).reduce(0, +)
        let limits = primaries.compactMap(\.maxMemory).filter { $0 > 0 }
        let smallest = limits.count == primaries.count ? limits.min() : nil

        let budget = goal.targetMemory ?? smallest
        var usable: Int64?
        var needed: Int?
        if let budget {
            let free = (goal.headroomPercent ?? 0) / 100
            let room = max(1, Int64((Double(budget) * (1 - free)).rounded(.down)))
            usable = room
            needed = max(1, Int((Double(used) / Double(room)).rounded(.up)))
        } else if goal.addPrimaries == nil {
            throw .noBudget
        }
        let adding = goal.addPrimaries ?? max(0, (needed ?? 0) - primaries.count)

        // The primaries to add, as empty reachable primaries of the same server as the first
        // primary, so the planners treat them as any other (and pick the path that server allows).
        var future = snapshot
        for n in stride(from: 1, through: adding, by: 1) {
            var node = SnapshotNode(id: newPrimaryID(n), address: NodeAddress(host: "new-primary-\(n)", port: 0), role: .primary, health: .ok)
            node.server = primaries[0].server
            node.version = primaries[0].version
            node.usedMemory = 0
            node.keys = 0
            node.lastSeen = snapshot.time
            future.nodes.append(node)
        }
        let rebalance = adding > 0
            ? RebalancePlanner.plan(future, metric: metric, slotKeys: slotKeys)
            : RebalancePlan(metric: metric, moves: [], before: [:], after: [:], targets: [:])

        let counted = !slotKeys.isEmpty
        let bytesPerKey = Dictionary(uniqueKeysWithValues: primaries.map { node in
            (node.id, Double(node.usedMemory ?? 0) / Double(max(1, node.keys ?? 1)))
        })
        // COUNTKEYSINSLOT is sampled on servers without SLOT-STATS: a slot not counted is taken to
        // hold its owner's mean over the slots that were.
        var countedSum: [String: (keys: Int, slots: Int)] = [:]
        for (slot, count) in slotKeys {
            guard let owner = snapshot.slotOwners[slot] else { continue }
            countedSum[owner, default: (0, 0)].keys += count
            countedSum[owner, default: (0, 0)].slots += 1
        }
        func keysIn(_ slot: Int, owner: String) -> Double {
            if let count = slotKeys[slot] { return Double(count) }
            guard let sum = countedSum[owner], sum.slots > 0 else { return 0 }
            return Double(sum.keys) / Double(sum.slots)
        }
        var memoryAfter = Dictionary(uniqueKeysWithValues: primaries.map { ($0.id, $0.usedMemory ?? 0) })
        var moves: [CapacityMove] = []
        for move in rebalance.moves {
            guard let source = future.node(id: move.fromId), let target = future.node(id: move.toId) else { continue }
            var migration = MigrationPlanner.plan(source: source, target: target, slots: move.slots)
            let moveKeys = counted ? Int(move.slots.reduce(0.0) { $0 + keysIn($1, owner: source.id) }.rounded()) : nil
            migration.keyCount = moveKeys
            let bytes = moveKeys.map { Int64((Double($0) * (bytesPerKey[source.id] ?? 0)).rounded()) }
                ?? Int64(Double(source.usedMemory ?? 0) * Double(move.slots.count) / Double(max(1, source.slotCount)))
            memoryAfter[source.id, default: 0] -= bytes
            memoryAfter[target.id, default: 0] += bytes
            moves.append(CapacityMove(
                fromId: source.id, toId: target.id, slots: migration.slots, keys: moveKeys,
                bytes: counted ? bytes : nil, path: migration.path, seconds: migration.estimatedSeconds()
            ))
        }
        return CapacityPlan(
            primaries: primaries.count, usedMemory: used, keys: keys, smallestMaxMemory: smallest,
            usableMemory: usable, needed: needed, adding: adding, metric: metric, moves: moves,
            largestAfter: memoryAfter.values.max() ?? 0
        )
    }
}
