/// Byte-level scanning for the text replies shardtop parses (CLUSTER NODES, CLUSTER INFO, INFO).
///
/// Every separator in these replies is ASCII, so parsers work on the reply's UTF-8 bytes and
/// make Strings only of the values they keep. Going through `Character`s (grapheme breaking)
/// or `Substring`s (index walking and retain/release per slice) was most of a warm tick's CPU.
/// Non-ASCII bytes are carried as data.
enum WireBytes {
    /// Bytes taken by the line break at `index`, or 0 when there is none. Breaks are those of
    /// `Character.isNewline`: LF, VT, FF, CR, CRLF (one break), NEL, LS and PS.
    static func newlineWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        switch bytes[index] {
        case 0x0A, 0x0B, 0x0C:
            return 1
        case 0x0D:
            return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
        case 0xC2:  // U+0085 NEL
            return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : 0
        case 0xE2:  // U+2028 LS, U+2029 PS
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80 else { return 0 }
            return bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 ? 3 : 0
        default:
            return 0
        }
    }

    /// `range` without ASCII whitespace (space, tab, LF, VT, FF, CR) at either end.
    static func trimmed(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// The bytes as text; invalid UTF-8 is repaired, as everywhere server text is shown.
    static func text(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Decimal digits with an optional sign, as `Int64(String)` reads them; nil on anything else or overflow.
    static func decimal(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = range.lowerBound
        var negative = false
        if index < range.upperBound, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < range.upperBound else { return nil }
        var value: Int64 = 0
        while index < range.upperBound {
            let digit = bytes[index] &- 0x30
            guard digit <= 9 else { return nil }
            // Accumulated negatively so Int64.min still fits; a hostile reply must not trap.
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        return value == .min ? nil : -value
    }
}

extension UInt8 {
    static let wireSpace = UInt8(ascii: " ")
    static let wireTab = UInt8(ascii: "\t")
}
