/// The slots an operator typed ("0-99,200,300-310"), as the fewest sorted ranges, remembering
/// whether the text repeated or overlapped itself so the plan can say it merged them rather than
/// leave the operator wondering why fewer slots move than the ranges add up to.
public struct SlotRangeList: Sendable, Hashable, CustomStringConvertible {
    /// What was typed, for the plan's note.
    public var given: String
    /// Sorted, disjoint and not adjacent: each slot once.
    public var ranges: [SlotRange]
    /// True when the typed ranges shared slots (a union was taken).
    public var overlapped: Bool

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case badRange(String)
        case startAfterEnd(String)
        case empty

        public var description: String {
            switch self {
            case .badRange(let part): "bad slot range '\(part)': use A-B with slots 0-\(hashSlotCount - 1)"
            case .startAfterEnd(let part): "bad slot range '\(part)': start after end"
            case .empty: "no slots given"
            }
        }
    }

    public static func parse(_ text: String) throws(ParseError) -> SlotRangeList {
        var typed: [SlotRange] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int(trimmed($0)) }
            guard (1...2).contains(bounds.count), let start = bounds[0], let end = bounds[bounds.count - 1],
                  (0..<hashSlotCount).contains(start), (0..<hashSlotCount).contains(end)
            else { throw .badRange(String(part)) }
            guard start <= end else { throw .startAfterEnd(String(part)) }
            typed.append(SlotRange(start, end))
        }
        guard !typed.isEmpty else { throw .empty }
        let merged = SlotRange.union(typed)
        return SlotRangeList(given: text, ranges: merged, overlapped: SlotRange.total(merged) < SlotRange.total(typed))
    }

    public var slotCount: Int { SlotRange.total(ranges) }

    /// "slots 0-30", or "slots 0-30 (given as 0-20,10-30: overlapping ranges merged)".
    public var description: String {
        let slots = "slots " + ranges.map(\.description).joined(separator: ",")
        return overlapped ? "\(slots) (given as \(given): overlapping ranges merged)" : slots
    }
}

extension SlotRange {
    /// The union of `ranges` as the fewest sorted ranges (overlapping and touching ones joined).
    public static func union(_ ranges: [SlotRange]) -> [SlotRange] {
        var result: [SlotRange] = []
        for range in ranges.sorted() {
            if let last = result.last, range.start <= last.end + 1 {
                result[result.count - 1].end = max(last.end, range.end)
            } else {
                result.append(range)
            }
        }
        return result
    }
}

/// Spaces around a bound are forgiven ("0 - 99"); ShardtopCore does without Foundation.
private func trimmed(_ text: Substring) -> Substring {
    var text = text
    while text.first == " " || text.first == "\t" { text.removeFirst() }
    while text.last == " " || text.last == "\t" { text.removeLast() }
    return text
}
