/// The cluster has exactly this many hash slots; every key maps to one.
public let hashSlotCount = 16384

/// An inclusive range of hash slots, encoded in JSON as `[start, end]`.
public struct SlotRange: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    public var count: Int { end - start + 1 }
    public func contains(_ slot: Int) -> Bool { slot >= start && slot <= end }
    public var description: String { start == end ? "\(start)" : "\(start)-\(end)" }

    public static func < (lhs: SlotRange, rhs: SlotRange) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        start = try container.decode(Int.self)
        end = try container.decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(start)
        try container.encode(end)
    }

    /// Folds a sorted list of slot numbers into the fewest ranges.
    public static func ranges(fromSortedSlots slots: [Int]) -> [SlotRange] {
        var result: [SlotRange] = []
        for slot in slots {
            if let last = result.last, last.end + 1 == slot {
                result[result.count - 1].end = slot
            } else {
                result.append(SlotRange(slot, slot))
            }
        }
        return result
    }

    /// Total number of slots in a list of ranges.
    public static func total(_ ranges: [SlotRange]) -> Int {
        ranges.reduce(0) { $0 + $1.count }
    }
}

extension SlotRange: JSONRepresentable {
    /// `[start, end]`, as `encode(to:)` writes it.
    public var jsonValue: JSONValue { .array([.int(Int64(start)), .int(Int64(end))]) }
}
