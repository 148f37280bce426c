/// Byte-level scanning for the text replies shardtop parses (CLUSTER NODES, CLUSTER INFO, INFO).
///
/// Every separator in these replies is ASCII, so the scanning runs on the UTF-8 view and never
/// forms a `Character`: grapheme breaking cost about 0.7 ms per node and poll, which on a
/// 30-node cluster was most of a warm tick. The results are still `Substring`s of the reply, and
/// line splitting keeps `Character.isNewline`'s rules (CRLF is one break; newline scalars are
/// never part of a larger grapheme, so this is exact). Non-ASCII bytes are carried as data.
extension Substring {
    /// Lines ended by LF, CR, CRLF (one break), VT, FF, NEL, LS or PS, like `split(whereSeparator: \.isNewline)`.
    func wireLines(omittingEmpty: Bool) -> [Substring] {
        withWireBytes { bytes in
            var lines: [Substring] = []
            var start = 0
            var cursor = 0
            while cursor < bytes.count {
                let width = Self.newlineWidth(bytes, at: cursor)
                if width == 0 {
                    cursor += 1
                    continue
                }
                if !omittingEmpty || start < cursor { lines.append(slice(start, cursor)) }
                cursor += width
                start = cursor
            }
            if !omittingEmpty || start < bytes.count { lines.append(slice(start, bytes.count)) }
            return lines
        }
    }

    /// Bytes taken by the line break at `index`, or 0 when there is none.
    private static func newlineWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
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

    /// Like `split(separator:maxSplits:omittingEmptySubsequences:)`, for separators that are ASCII bytes.
    func wireSplit(maxSplits: Int = .max, omittingEmpty: Bool = true, where isSeparator: (UInt8) -> Bool) -> [Substring] {
        withWireBytes { bytes in
            var parts: [Substring] = []
            var start = 0
            var cursor = 0
            if maxSplits > 0 {
                while cursor < bytes.count {
                    guard isSeparator(bytes[cursor]) else {
                        cursor += 1
                        continue
                    }
                    let appended = !omittingEmpty || start < cursor
                    if appended { parts.append(slice(start, cursor)) }
                    cursor += 1
                    start = cursor
                    if appended && parts.count == maxSplits { break }
                }
            }
            if !omittingEmpty || start < bytes.count { parts.append(slice(start, bytes.count)) }
            return parts
        }
    }

    /// Runs `body` over this substring's UTF-8 bytes; native strings are contiguous, others are made so.
    private func withWireBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(body)!
    }

    /// The part between two UTF-8 offsets, which the callers only ever place next to ASCII bytes.
    private func slice(_ from: Int, _ to: Int) -> Substring {
        let lower = utf8.index(startIndex, offsetBy: from)
        return self[lower..<utf8.index(lower, offsetBy: to - from)]
    }

    func wireSplit(separator: UInt8, maxSplits: Int = .max, omittingEmpty: Bool = true) -> [Substring] {
        wireSplit(maxSplits: maxSplits, omittingEmpty: omittingEmpty) { $0 == separator }
    }

    /// The first occurrence of an ASCII byte, as an index into this substring.
    func wireFirstIndex(of byte: UInt8) -> Index? { utf8.firstIndex(of: byte) }

    func wireLastIndex(of byte: UInt8) -> Index? { utf8.lastIndex(of: byte) }

    /// The text after the ASCII byte at `index`.
    func wireSuffix(after index: Index) -> Substring { self[utf8.index(after: index)...] }

    func wireHasPrefix(_ byte: UInt8) -> Bool { utf8.first == byte }

    func wireHasSuffix(_ byte: UInt8) -> Bool { utf8.last == byte }

    /// Replies end lines with CRLF and may carry stray spaces; parsers compare trimmed text.
    /// Trims what `Character.isWhitespace` calls whitespace, scalar by scalar, touching only the edges.
    func wireTrimmed() -> Substring {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, Self.isWhitespace(scalars[start]) { scalars.formIndex(after: &start) }
        while start < end {
            let last = scalars.index(before: end)
            guard Self.isWhitespace(scalars[last]) else { break }
            end = last
        }
        return self[start..<end]
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar == " " || (0x09...0x0D).contains(scalar.value)
        }
        return scalar.properties.isWhitespace
    }
}

extension UInt8 {
    static let wireSpace = UInt8(ascii: " ")
    static let wireTab = UInt8(ascii: "\t")
}
