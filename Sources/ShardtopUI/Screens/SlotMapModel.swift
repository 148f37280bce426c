import ShardtopCore

/// Per-frame lookups for the slot map: which shard owns a slot, which slots are open, how many
/// keys a cell holds. Built once per frame so drawing a cell does not search the snapshot.
struct SlotMapModel {
    static let uncovered = -1
    static let outsideShards = -2

    let owners: SlotOwners
    let shardIndex: [String: Int]
    /// Per slot: the owner's shard index, `uncovered`, or `outsideShards`; integers keep the
    /// per-cell loop cheap (it runs for all 16384 slots every frame).
    let shardOfSlot: [Int]
    let migrating: Set<Int>
    let importing: Set<Int>
    let keysPerSlot: [Int: Int]
    let perCell: Int
    let maxKeysPerCell: Int
    let covered: Int
    let openSlotCount: Int
    /// Slots each shard serves in the majority view (what the map shows, so the legend agrees).
    let slotCounts: [Int]

    init(snapshot: ClusterSnapshot, keysPerSlot: [Int: Int], perCell: Int) {
        owners = snapshot.slotOwners
        shardIndex = Dictionary(snapshot.shards.enumerated().map { ($0.element.primaryId, $0.offset) }, uniquingKeysWith: { a, _ in a })
        migrating = Set(snapshot.openSlots.filter { $0.state == .migrating }.map(\.slot))
        importing = Set(snapshot.openSlots.filter { $0.state == .importing }.map(\.slot))
        openSlotCount = migrating.union(importing).count
        // Owners come in long runs, so hash each owner id once per run rather than once per slot.
        var shardOfSlot = [Int](repeating: Self.uncovered, count: hashSlotCount)
        var counts = [Int](repeating: 0, count: snapshot.shards.count)
        var run: (owner: String, shard: Int)?
        for slot in 0..<min(hashSlotCount, snapshot.slotOwners.count) {
            guard let owner = snapshot.slotOwners[slot] else { continue }
            let shard: Int
            if let run, run.owner == owner {
                shard = run.shard
            } else {
                shard = shardIndex[owner] ?? Self.outsideShards
                run = (owner, shard)
            }
            shardOfSlot[slot] = shard
            if shard >= 0 { counts[shard] += 1 }
        }
        self.shardOfSlot = shardOfSlot
        self.keysPerSlot = keysPerSlot
        self.perCell = perCell
        slotCounts = counts
        covered = shardOfSlot.filter { $0 != Self.uncovered }.count
        var peak = 0
        if !keysPerSlot.isEmpty {
            var sums: [Int: Int] = [:]
            for (slot, keys) in keysPerSlot where (0..<hashSlotCount).contains(slot) { sums[slot / perCell, default: 0] += keys }
            peak = sums.values.max() ?? 0
        }
        maxKeysPerCell = peak
    }

    func owner(_ slot: Int) -> String? { owners.indices.contains(slot) ? owners[slot] : nil }

    /// Distinct owners in slot order; a cell can straddle a shard boundary.
    func owners(in range: SlotRange) -> [String] {
        var seen: [String] = []
        for slot in range.start...range.end {
            if let owner = owner(slot), !seen.contains(owner) { seen.append(owner) }
        }
        return seen
    }

    func uncoveredCount(in range: SlotRange) -> Int {
        (range.start...range.end).filter { owner($0) == nil }.count
    }

    func keys(in range: SlotRange) -> Int {
        (range.start...range.end).reduce(0) { $0 + (keysPerSlot[$1] ?? 0) }
    }

    /// The cell's character and role. Marks win over the overlay, and an uncovered slot wins over
    /// everything: one unserved slot in a folded cell is an outage and must never be hidden.
    func look(ofCell cell: Int, overlay: SlotMapView.Overlay, glyphs: Glyphs) -> Cell {
        let range = SlotMapLayout.range(ofCell: cell, slotsPerCell: perCell)
        let slots = range.start...range.end
        var tally: [(shard: Int, slots: Int)] = []
        for slot in slots {
            let shard = shardOfSlot[slot]
            if shard == Self.uncovered { return Cell(glyphs.uncovered, role: .slotUncovered) }
            if let index = tally.firstIndex(where: { $0.shard == shard }) { tally[index].slots += 1 } else { tally.append((shard, 1)) }
        }
        if openSlotCount > 0 {
            if slots.contains(where: migrating.contains) { return Cell(glyphs.migrating, role: .slotMigrating) }
            if slots.contains(where: importing.contains) { return Cell(glyphs.importing, role: .slotImporting) }
        }
        // The majority owner colours a straddling cell (the first on a tie); the cursor line lists every owner.
        var majority = Self.outsideShards
        var most = 0
        for entry in tally where entry.slots > most { (majority, most) = (entry.shard, entry.slots) }
        let role = majority >= 0 ? StyleRole.shard(majority) : .normal
        switch overlay {
        case .owner:
            return Cell(glyphs.full, role: role)
        case .keys:
            let keys = keys(in: range)
            guard maxKeysPerCell > 0, keys > 0 else { return Cell(glyphs.empty, role: .dim) }
            let top = glyphs.levels.count - 1
            let level = min(top, Int((Double(keys) / Double(maxKeysPerCell) * Double(top)).rounded()))
            return Cell(glyphs.levels[level], role: role)
        case .open:
            return Cell(glyphs.empty, role: .dim)
        }
    }
}
