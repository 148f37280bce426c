/// What a rebalance evens out across primaries.
public enum RebalanceMetric: String, Sendable, Codable, CaseIterable {
    case slots
    case keys
    case memory
}

/// One move of a rebalance: slots from one primary to another.
public struct RebalanceMove: Sendable, Hashable {
    public var fromId: String
    public var toId: String
    public var slots: [Int]

    public var ranges: [SlotRange] { SlotRange.ranges(fromSortedSlots: slots) }
}

/// A dry-run: the moves, and each primary's share before and after, in the metric's unit.
public struct RebalancePlan: Sendable, Hashable {
    public var metric: RebalanceMetric
    public var moves: [RebalanceMove]
    public var before: [String: Double]
    public var after: [String: Double]
    public var targets: [String: Double]

    public var slotsMoved: Int { moves.reduce(0) { $0 + $1.slots.count } }
}

/// Proposes moves that bring each primary to its weighted share. Weight 0 drains a primary.
/// Greedy and deterministic: the biggest surplus gives first, always from the end of its slot
/// list, to whichever primary is furthest below its share.
public enum RebalancePlanner {
    /// - Parameters:
    ///   - slotValue: keys per slot for `.keys`; ignored for `.slots`. For `.memory` each slot's keys are
    ///     scaled by its owner's bytes per key (used_memory / keys), the best estimate without scanning.
    ///   - threshold: a primary within this fraction of its share is left alone (unless draining), so a
    ///     nearly balanced cluster does not churn.
    public static func plan(
        _ snapshot: ClusterSnapshot, metric: RebalanceMetric, weights: [String: Double] = [:],
        slotKeys: [Int: Int] = [:], threshold: Double = 0.02
    ) -> RebalancePlan {
        let primaries = snapshot.primaries.filter { !$0.isUnknownSeed && ($0.slotCount > 0 || RebalanceWeight.effective(weights[$0.id]) > 0) }
            .filter(\.isReachable)
            .sorted { $0.id < $1.id }
        var owned: [String: [Int]] = Dictionary(uniqueKeysWithValues: primaries.map { ($0.id, []) })
        for slot in 0..<hashSlotCount {
            if let owner = snapshot.slotOwners[slot], owned[owner] != nil { owned[owner]!.append(slot) }
        }
        let bytesPerKey: [String: Double] = Dictionary(uniqueKeysWithValues: primaries.map { node in
            let keys = max(1, Double(node.keys ?? 1))
            return (node.id, Double(node.usedMemory ?? 0) / keys)
        })
        func value(_ slot: Int, owner: String) -> Double {
            switch metric {
            case .slots: 1
            case .keys: Double(slotKeys[slot] ?? 0)
            case .memory: Double(slotKeys[slot] ?? 0) * (bytesPerKey[owner] ?? 0)
            }
        }

        var totals: [String: Double] = [:]
        for (id, slots) in owned { totals[id] = slots.reduce(0) { $0 + value($1, owner: id) } }
        let before = totals
        let grand = totals.values.reduce(0, +)
        let weightOf = { (id: String) in RebalanceWeight.effective(weights[id]) }
        let weightSum = primaries.reduce(0) { $0 + weightOf($1.id) }
        var targets: [String: Double] = [:]
        for node in primaries { targets[node.id] = weightSum > 0 ? grand * (weightOf(node.id) / weightSum) : 0 }

        var moves: [String: [Int]] = [:]  // "from>to" -> slots
        let donors = primaries.map(\.id).filter { id in
            let surplus = totals[id]! - targets[id]!
            return weightOf(id) == 0 ? !owned[id]!.isEmpty : surplus > max(threshold * targets[id]!, 0.5)
        }.sorted { (totals[$0]! - targets[$0]!) > (totals[$1]! - targets[$1]!) }

        for donor in donors {
            let draining = weightOf(donor) == 0
            // Slot counts give from the end of the list (keeps ranges contiguous); keys and memory give
            // their heaviest slots first, so fewer slots move for the same effect.
            var sticky: String?
            var candidates = owned[donor]!
            if metric != .slots, !draining {
                candidates.sort { (value($0, owner: donor), $0) < (value($1, owner: donor), $1) }
            }
            while let slot = candidates.popLast() {
                let surplus = totals[donor]! - targets[donor]!
                let slotValue = value(slot, owner: donor)
                if !draining {
                    if surplus < 0.5 { break }
                    // Moving an empty slot changes nothing; moving one bigger than twice the surplus overshoots.
                    if metric != .slots, slotValue == 0 || slotValue > 2 * surplus { continue }
                }
                // The receiver furthest below its share takes slots until it is full (so it gains
                // contiguous ranges, not every other slot); weight-0 nodes never receive.
                if let current = sticky, targets[current]! - totals[current]! >= (metric == .slots ? 0.5 : slotValue / 2) {
                    totals[donor]! -= slotValue
                    totals[current]! += slotValue
                    moves["\(donor)>\(current)", default: []].append(slot)
                    continue
                }
                guard let receiver = primaries.map(\.id)
                    .filter({ $0 != donor && weightOf($0) > 0 })
                    .max(by: { a, b in
                        let (da, db) = (targets[a]! - totals[a]!, targets[b]! - totals[b]!)
                        return da != db ? da < db : a > b
                    })
                else { break }
                if !draining, targets[receiver]! - totals[receiver]! <= 0 { break }
                totals[donor]! -= slotValue
                totals[receiver]! += slotValue
                moves["\(donor)>\(receiver)", default: []].append(slot)
                sticky = receiver
            }
        }

        let planned = moves.map { key, slots in
            let parts = key.split(separator: ">").map(String.init)
            return RebalanceMove(fromId: parts[0], toId: parts[1], slots: slots.sorted())
        }.sorted { ($0.fromId, $0.toId) < ($1.fromId, $1.toId) }
        return RebalancePlan(metric: metric, moves: planned, before: before, after: totals, targets: targets)
    }
}
