/// What the assembler needs from every voter's view, gathered in one sweep over the voters, reading
/// each line of each CLUSTER NODES reply once for itself. With n nodes that input is n views of n
/// lines, so this sweep is the floor; the rest of the assembly works per node or per voter.
///
/// Node ids are interned to small integers on the way (`NodeIDTable`), so nothing later hashes or
/// compares ids again. Equality of ids is `String` equality throughout, exactly what the dictionaries
/// and sets of the straightforward formulation use.
struct ViewIndex {
    /// A line of one voter's view: `voters[voter].topology[line]`.
    struct LineRef {
        var voter: Int
        var line: Int
    }

    /// Every node id some voter lists, each once, in first-seen order (voters in order, lines in order).
    /// The string kept is the first one seen, as a `Set<String>` filled in that order would keep.
    let ids: [String]
    /// Per node: the index in `voters` of the first voter whose own id it is, or -1.
    let voterOf: [Int]
    /// Per node: how the other voters (all voters whose id is not the node's) list it. Each such voter
    /// contributes its first line for the node, as a by-id lookup into its view gives.
    let others: [OthersTally]
    /// Per node, filled only for nodes no voter speaks for: those same lines, in voter order.
    let othersLines: [[LineRef]]
    /// The distinct slot-ownership views, in order of first appearance among the voters.
    let views: [OwnershipView]

    struct OthersTally {
        /// How many lines.
        var count = 0
        /// How many of them say the bus link is connected.
        var linkUp = 0
        /// The union of their flags.
        var flags: NodeFlags = []
    }

    /// Per node bookkeeping for the voter being read, stamped with its index + 1.
    private struct Marks {
        /// The voter's first line for the node has been taken.
        var seenBy = 0
        /// The voter has a slot-holding line for the node; `claimLine` is its last one (a later line
        /// overwrites an earlier one, as assigning into a dictionary by id would).
        var claimedBy = 0
        var claimLine = 0
    }

    /// A line of the current voter, read ahead: its id's hash (`NodeIDTable.hash`), whether it holds slots.
    private struct LineScan {
        var hash: UInt64 = 0
        var holdsSlots = false
    }

    init(voters: [Voter]) {
        var voterIndexByID: [String: Int] = [:]
        voterIndexByID.reserveCapacity(voters.count)
        for (index, voter) in voters.enumerated() where voterIndexByID[voter.id] == nil {
            voterIndexByID[voter.id] = index
        }
        var table = NodeIDTable(expectedCount: max(voters.count, voters.first?.topology.count ?? 0))
        var voterOf: [Int] = []
        var others: [OthersTally] = []
        var othersLines: [[LineRef]] = []
        var marks: [Marks] = []
        var views: [OwnershipView] = []
        // Keyed by Int, not UInt64: a dictionary's first key type costs a cold process a scan of
        // the binary's conformance records, and Int's is paid already (issue 12, ninth round).
        var viewsByFingerprint: [Int: [Int]] = [:]
        // The current voter's owners in order of their first slot-holding line, and that line.
        var claimOwners: [Int] = []
        var claimKeyLines: [Int] = []
        var scans: [LineScan] = []

        for (voterIndex, voter) in voters.enumerated() {
            let stamp = voterIndex + 1
            let lines = voter.topology
            var ownNode = table.find(voter.id) ?? -1
            claimOwners.removeAll(keepingCapacity: true)
            claimKeyLines.removeAll(keepingCapacity: true)

            // The hot loops: a million lines at 1000 nodes, each id in its own heap object, so the time
            // goes in cache misses. The first loop only touches each line's id bytes and slots, with
            // little work between loads, so the processor overlaps the misses; it also keeps reference
            // counting (whose atomic operations would serialise them) out of the way. The second does
            // the table lookups and tallies on what is then in cache; strings are left to new or
            // non-ASCII ids.
            if scans.count < lines.count { scans = [LineScan](repeating: LineScan(), count: lines.count) }
            lines.withUnsafeBufferPointer { lines in
                scans.withUnsafeMutableBufferPointer { scans in
                    for line in lines.indices {
                        scans[line].hash = lines[line].id.utf8.withContiguousStorageIfAvailable {
                            NodeIDTable.hash(UnsafeRawBufferPointer($0))
                        } ?? 0
                        scans[line].holdsSlots = !lines[line].slots.isEmpty
                    }
                }
                for line in lines.indices {
                    let scan = scans[line]
                    var node = lines[line].id.utf8.withContiguousStorageIfAvailable {
                        table.lookup(UnsafeRawBufferPointer($0), hash: scan.hash)
                    } ?? -1
                    if node < 0 {
                        let id = lines[line].id
                        let interned = table.intern(id)
                        node = interned.node
                        if interned.isNew {
                            voterOf.append(voterIndexByID[id] ?? -1)
                            others.append(OthersTally())
                            othersLines.append([])
                            marks.append(Marks())
                            if ownNode < 0, id == voter.id { ownNode = node }
                        }
                    }
                    if scan.holdsSlots {
                        if marks[node].claimedBy != stamp {
                            marks[node].claimedBy = stamp
                            claimOwners.append(node)
                            claimKeyLines.append(line)
                        }
                        marks[node].claimLine = line
                    }
                    if marks[node].seenBy == stamp { continue }
                    marks[node].seenBy = stamp
                    if node == ownNode { continue }
                    others[node].count += 1
                    if lines[line].linkConnected { others[node].linkUp += 1 }
                    others[node].flags.formUnion(lines[line].flags)
                    if voterOf[node] < 0 { othersLines[node].append(LineRef(voter: voterIndex, line: line)) }
                }
            }

            // File the voter under the view equal to its claims, or open a new view. The fingerprint
            // sums per-owner hashes, so it does not depend on the order the voter lists nodes in.
            var fingerprint = UInt64(truncatingIfNeeded: claimOwners.count)
            for node in claimOwners {
                fingerprint &+= Self.hash(node: node, slots: lines[marks[node].claimLine].slots)
            }
            var filed = false
            let key = Int(truncatingIfNeeded: fingerprint)
            for candidate in viewsByFingerprint[key] ?? [] where views[candidate].owners.count == claimOwners.count {
                var same = true
                for (position, node) in views[candidate].owners.enumerated()
                where marks[node].claimedBy != stamp
                    || !Self.sameSlots(lines[marks[node].claimLine].slots, views[candidate].ranges[position]) {
                    same = false
                    break
                }
                if same {
                    views[candidate].voters.append(voterIndex)
                    filed = true
                    break
                }
            }
            if !filed {
                viewsByFingerprint[key, default: []].append(views.count)
                views.append(OwnershipView(
                    owners: claimOwners,
                    ownerIDs: claimKeyLines.map { lines[$0].id },
                    ranges: claimOwners.map { Self.sorted(lines[marks[$0].claimLine].slots) },
                    voters: [voterIndex]
                ))
            }
        }
        self.ids = table.ids
        self.voterOf = voterOf
        self.others = others
        self.othersLines = othersLines
        self.views = views
    }

    /// Ranges as a comparable value: sorted, the same array when it already is.
    static func sorted(_ slots: [SlotRange]) -> [SlotRange] {
        for index in slots.indices.dropFirst() where slots[index] < slots[index - 1] {
            return slots.sorted()
        }
        return slots
    }

    private static func sameSlots(_ slots: [SlotRange], _ canonical: [SlotRange]) -> Bool {
        slots.count == canonical.count && sorted(slots) == canonical
    }

    private static func hash(node: Int, slots: [SlotRange]) -> UInt64 {
        var h = mix(0x9E37_79B9_7F4A_7C15, UInt64(truncatingIfNeeded: node))
        for range in sorted(slots) {
            h = mix(h, UInt64(truncatingIfNeeded: range.start) << 32 ^ UInt64(truncatingIfNeeded: range.end))
        }
        return mix(h, UInt64(truncatingIfNeeded: slots.count))
    }

    private static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
        var h = (hash ^ value) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        return h
    }
}

/// One view of slot ownership: which node owns which slots. Two voters hold the same view exactly when
/// they have the same set of owners with, owner by owner, equal sorted ranges.
struct OwnershipView {
    /// Owners in the order the view's first voter lists them.
    var owners: [Int]
    /// Each owner's id as the view's first voter writes it on its first slot-holding line for the owner.
    var ownerIDs: [String]
    /// Each owner's ranges, sorted.
    var ranges: [[SlotRange]]
    /// Indices in `voters` of the voters holding this view, in voter order.
    var voters: [Int]
}

/// Interns node ids to 0, 1, 2, … with `String` equality.
///
/// Node ids are 40 ASCII hex characters, and hashing and comparing them as `String`s costs more than
/// all the other work on a line, so ASCII ids go through an open-addressing table keyed by their bytes
/// (for ASCII text, equal strings are equal bytes). Anything else, and every first sighting, goes
/// through an ordinary dictionary holding every interned id, so an id canonically equal to one
/// interned in another spelling still finds it, exactly as a `[String: …]` would.
///
/// The only `String` operations are on first sightings; the lookup of a known id reads its bytes in
/// place.
struct NodeIDTable {
    private(set) var ids: [String] = []
    private var byString: [String: Int] = [:]
    /// Open addressing, linear probing, a power of two long.
    private var buckets: [Bucket]
    private var filled = 0
    /// The bytes of every id in `buckets`, back to back.
    private var keyBytes: [UInt8] = []

    private struct Bucket {
        var node = -1
        var hash: UInt64 = 0
        var keyOffset = 0
        var keyLength = 0
    }

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity *= 2 }
        buckets = [Bucket](repeating: Bucket(), count: capacity)
        byString.reserveCapacity(expectedCount)
        ids.reserveCapacity(expectedCount)
        keyBytes.reserveCapacity(expectedCount * 40)
    }

    /// The index of an id interned already.
    func find(_ id: String) -> Int? {
        let found = id.utf8.withContiguousStorageIfAvailable { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            return lookup(raw, hash: Self.hash(raw))
        } ?? -1
        return found >= 0 ? found : byString[id]
    }

    /// The index of the id with exactly these bytes, given their `hash`, or -1 when the table does not
    /// have them. The table holds ASCII ids only, so a hit is an ASCII id equal byte for byte, hence
    /// as a `String`; a miss says nothing (another spelling may be interned): ask `intern`.
    func lookup(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int {
        probe(bytes, hash: hash).node
    }

    /// The id's index, interning it when new.
    mutating func intern(_ id: String) -> (node: Int, isNew: Bool) {
        let probed = id.utf8.withContiguousStorageIfAvailable { bytes -> Probe? in
            let raw = UnsafeRawBufferPointer(bytes)
            guard raw.allSatisfy({ $0 < 0x80 }) else { return nil }
            var probed = probe(raw, hash: Self.hash(raw))
            // Missing: keep its bytes, to be filed once it has an index.
            if probed.node < 0 {
                probed.keyOffset = keyBytes.count
                keyBytes.append(contentsOf: raw)
            }
            return probed
        }
        guard let probed = probed ?? nil else { return internSlowly(id) }
        if probed.node >= 0 { return (probed.node, false) }
        let result = internSlowly(id)
        buckets[probed.bucket] = Bucket(node: result.node, hash: probed.hash, keyOffset: probed.keyOffset, keyLength: probed.keyLength)
        filled += 1
        if filled * 2 > buckets.count { grow() }
        return result
    }

    private mutating func internSlowly(_ id: String) -> (node: Int, isNew: Bool) {
        if let known = byString[id] { return (known, false) }
        let node = ids.count
        ids.append(id)
        byString[id] = node
        return (node, true)
    }

    /// A hash of the bytes, from the first and last eight only: cheap, and with node ids (random hex)
    /// plenty. Collisions cost a byte comparison, never a wrong answer.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        if count >= 8 {
            let first = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            let last = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            hash ^= (first &* 0xFF51_AFD7_ED55_8CCD) ^ (last &* 0xC4CE_B9FE_1A85_EC53)
        } else {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        return hash ^ (hash >> 29)
    }

    private struct Probe {
        /// The node, or -1 when absent.
        var node: Int
        /// Where it is, or where it would go.
        var bucket: Int
        var hash: UInt64
        var keyOffset = 0
        var keyLength = 0
    }

    private func probe(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Probe {
        let mask = buckets.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        return buckets.withUnsafeBufferPointer { buckets in
            keyBytes.withUnsafeBytes { keys in
                while true {
                    let bucket = buckets[index]
                    if bucket.node < 0 {
                        return Probe(node: -1, bucket: index, hash: hash, keyLength: bytes.count)
                    }
                    if bucket.hash == hash, bucket.keyLength == bytes.count,
                       Self.equal(UnsafeRawBufferPointer(rebasing: keys[bucket.keyOffset..<(bucket.keyOffset + bucket.keyLength)]), bytes) {
                        return Probe(node: bucket.node, bucket: index, hash: hash)
                    }
                    index = (index + 1) & mask
                }
            }
        }
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset + 8 <= a.count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < a.count {
            if a[offset] != b[offset] { return false }
            offset += 1
        }
        return true
    }

    private mutating func grow() {
        let old = buckets
        buckets = [Bucket](repeating: Bucket(), count: old.count * 2)
        let mask = buckets.count - 1
        for bucket in old where bucket.node >= 0 {
            var index = Int(truncatingIfNeeded: bucket.hash) & mask
            while buckets[index].node >= 0 { index = (index + 1) & mask }
            buckets[index] = bucket
        }
    }
}

/// The slot ownership most voters agree on, and who dissents.
struct MajorityView {
    /// Per interned node: its ranges in the winning view, nil when it owns none there.
    let rangesByNode: [[SlotRange]?]
    let slotOwners: SlotOwners
    let dissenters: [String]
    /// Interned nodes ordered by id.
    let nodesByID: [Int]

    /// `previousSlotOwners`, when made of this round's owners and numbers, is returned as is: the
    /// table rarely changes, and a tick that keeps it lets the diff see "unchanged" at once.
    init(voters: [Voter], index: ViewIndex, previousSlotOwners: SlotOwners?) {
        // Most voters wins; a tie goes to the view held by the voter with the smallest id, so the pick is stable.
        var winner: OwnershipView?
        var winnerMinID = ""
        for view in index.views {
            let minID = view.voters.lazy.map { voters[$0].id }.min() ?? ""
            if let best = winner {
                guard (best.voters.count, minID) < (view.voters.count, winnerMinID) else { continue }
            }
            winner = view
            winnerMinID = minID
        }

        var rangesByNode = [[SlotRange]?](repeating: nil, count: index.ids.count)
        // Per slot: the position of its owner in the winner plus one, or 0. Should two owners claim
        // one slot, the one listed later has it.
        var ownerOfSlot = [UInt16](repeating: 0, count: hashSlotCount)
        let ownerIDs = winner?.ownerIDs ?? []
        if let winner {
            for (position, node) in winner.owners.enumerated() {
                let ranges = winner.ranges[position]
                rangesByNode[node] = ranges
                for range in ranges where range.start >= 0 && range.end < hashSlotCount {
                    for slot in range.start...range.end { ownerOfSlot[slot] = UInt16(truncatingIfNeeded: position + 1) }
                }
            }
        }
        self.rangesByNode = rangesByNode
        if let previous = previousSlotOwners, previous.isMade(of: ownerIDs, numbers: ownerOfSlot) {
            slotOwners = previous
        } else {
            slotOwners = SlotOwners(ownerIDs: ownerIDs, numbers: ownerOfSlot)
        }

        let winners = Set(winner?.voters.map { voters[$0].id } ?? [])
        dissenters = voters.map(\.id).filter { !winners.contains($0) }.sorted()

        let ids = index.ids
        nodesByID = ids.indices.sorted { ids[$0] < ids[$1] }
    }
}
