/// Who owns each hash slot: per slot, a small owner number into a short list of node ids.
///
/// Read like an array of `String?` (index = slot, nil = nobody serves it), which is what the UI,
/// the planners and the JSON ask. Stored as 16,384 two-byte numbers and one string per owner
/// rather than 16,384 optional strings: a table of strings was 256 KiB of fresh pages and 16,384
/// reference-count increments in every assembly that built one, the largest single piece of a
/// cold snapshot's assembly (issue 12, ninth round).
public struct SlotOwners: Sendable {
    /// Distinct owner ids; slot numbers in `numbers` point into it, 1-based.
    private var ids: [String]
    /// Per slot: 0 for nobody, else the owner's position in `ids` plus one.
    private var numbers: [UInt16]

    /// A table with nobody serving any of `count` slots.
    public init(unownedCount count: Int = hashSlotCount) {
        ids = []
        numbers = [UInt16](repeating: 0, count: count)
    }

    /// The table `owners` describes slot by slot.
    public init(_ owners: [String?]) {
        self.init(unownedCount: 0)
        numbers.reserveCapacity(owners.count)
        var last: UInt16 = 0
        for owner in owners {
            guard let owner else { numbers.append(0); continue }
            last = number(for: owner, trying: last)
            numbers.append(last)
        }
    }

    /// Runs of slots (first, last, an index into `owners`), nobody elsewhere; what a recording
    /// keeps. Runs outside the table or naming no owner (a damaged file) are skipped, as are
    /// owners past the numbers' range (no real cluster has 65,000 primaries).
    public init(owners: [String], runs: [(start: Int, end: Int, owner: Int)], count: Int = hashSlotCount) {
        ids = Array(owners.prefix(Self.maxOwners))
        numbers = [UInt16](repeating: 0, count: count)
        for run in runs where ids.indices.contains(run.owner) {
            let start = Swift.max(0, run.start), end = Swift.min(count - 1, run.end)
            guard start <= end else { continue }
            for slot in start...end { numbers[slot] = UInt16(run.owner + 1) }
        }
    }

    /// `ownerIDs` with, per slot, a 1-based position into them (0 for nobody). The caller
    /// guarantees every number is at most `ownerIDs.count`.
    init(ownerIDs: [String], numbers: [UInt16]) {
        ids = ownerIDs
        self.numbers = numbers
    }

    /// The most owners a table numbers (0 is nobody; the numbers are two bytes).
    static let maxOwners = Int(UInt16.max) - 2

    /// Slots somebody serves.
    public var coveredCount: Int { numbers.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }

    /// True when this table was made from exactly these ids and numbers (what the majority view
    /// compares against last tick's table before building a new one).
    func isMade(of ownerIDs: [String], numbers: [UInt16]) -> Bool {
        self.numbers == numbers && ids.count == ownerIDs.count
            && zip(ids, ownerIDs).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    /// The owner's number, added when new. Byte for byte: an id canonically equal to a known one
    /// but spelled otherwise is its own owner, so the table gives back exactly the strings it was
    /// given. `candidate` (the number just used: owners come in runs of slots) is tried first.
    private mutating func number(for owner: String, trying candidate: UInt16 = 0) -> UInt16 {
        if candidate > 0, ids[Int(candidate) - 1].utf8.elementsEqual(owner.utf8) { return candidate }
        if let known = ids.firstIndex(where: { $0.utf8.elementsEqual(owner.utf8) }) { return UInt16(known + 1) }
        ids.append(owner)
        return UInt16(ids.count)
    }
}

extension SlotOwners: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Element = String?

    public var startIndex: Int { 0 }
    public var endIndex: Int { numbers.count }

    public subscript(slot: Int) -> String? {
        get {
            let number = numbers[slot]
            return number == 0 ? nil : ids[Int(number) - 1]
        }
        set {
            guard let newValue else { numbers[slot] = 0; return }
            // Ids no slot points at any more are dropped before the numbers could run out.
            if ids.count >= Self.maxOwners { self = SlotOwners(Array(self)) }
            numbers[slot] = number(for: newValue)
        }
    }
}

extension SlotOwners: Equatable {
    /// Slot by slot, as two `[String?]` compare, without a string comparison per slot: each
    /// side's owner numbers are translated to one numbering first. Tables sharing their storage (a
    /// tick that reused the last one) are equal at once.
    public static func == (lhs: SlotOwners, rhs: SlotOwners) -> Bool {
        guard lhs.numbers.count == rhs.numbers.count else { return false }
        if lhs.ids == rhs.ids && lhs.numbers == rhs.numbers { return true }
        // One number per distinct id (by `==`, as `String?` compares), the first position it has
        // on the left; an id only the right has gets a number no left slot can have.
        var firstPosition: [String: UInt16] = [:]
        for (position, id) in lhs.ids.enumerated() where firstPosition[id] == nil {
            firstPosition[id] = UInt16(position + 1)
        }
        let left: [UInt16] = [0] + lhs.ids.map { firstPosition[$0]! }
        let right: [UInt16] = [0] + rhs.ids.map { firstPosition[$0] ?? UInt16.max }
        for slot in lhs.numbers.indices where left[Int(lhs.numbers[slot])] != right[Int(rhs.numbers[slot])] {
            return false
        }
        return true
    }
}

extension SlotOwners: ExpressibleByArrayLiteral {
    public init(arrayLiteral owners: String?...) {
        self.init(owners)
    }
}
