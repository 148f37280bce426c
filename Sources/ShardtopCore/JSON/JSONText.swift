/// Writes a `JSONValue` as the bytes `JSONEncoder` writes with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` (two-space indent, `"key" : value`, keys in UTF-8 byte order, a
/// Double as its shortest description without a trailing ".0"), so scripts reading
/// `snapshot --json` see the same document as before (tests compare the two byte for byte).
///
/// Two differences, both for safety: DEL and the C1 controls (U+0080-U+009F; U+009B is CSI) are
/// escaped as `\u00XX`, since they act on a terminal the document is printed to (JSONEncoder
/// escapes only U+0000-U+001F); and a NaN or infinite Double is written as `null` where
/// JSONEncoder would refuse the whole document.
public enum JSONText {
    public static func pretty(_ value: JSONValue) -> [UInt8] {
        var writer = Writer()
        writer.write(value, depth: 0)
        return writer.bytes
    }

    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(64 * 1024) }

        mutating func write(_ value: JSONValue, depth: Int) {
            switch value {
            case .null: append("null")
            case .bool(let flag): append(flag ? "true" : "false")
            case .int(let number): append(String(number))
            case .double(let number): writeDouble(number)
            case .string(let text): writeString(text)
            case .array(let items):
                bytes.append(UInt8(ascii: "["))
                newline()
                for (index, item) in items.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")); newline() }
                    indent(depth + 1)
                    write(item, depth: depth + 1)
                }
                newline()
                indent(depth)
                bytes.append(UInt8(ascii: "]"))
            case .object(let members):
                bytes.append(UInt8(ascii: "{"))
                newline()
                // The types of `snapshot --json` list their members in order already: check, sort only if not.
                let inOrder = zip(members, members.dropFirst()).allSatisfy { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                let sorted = inOrder ? members : members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                for (index, member) in sorted.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")); newline() }
                    indent(depth + 1)
                    writeString(member.key)
                    append(" : ")
                    write(member.value, depth: depth + 1)
                }
                newline()
                indent(depth)
                bytes.append(UInt8(ascii: "}"))
            }
        }

        private mutating func writeDouble(_ number: Double) {
            guard number.isFinite else { return append("null") }
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            append(text)
        }

        private mutating func writeString(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            // Most strings (ids, addresses, keys) need no escape: copied whole.
            if !text.utf8.contains(where: Self.needsEscape) {
                bytes.append(contentsOf: text.utf8)
                bytes.append(UInt8(ascii: "\""))
                return
            }
            var utf8 = text.utf8.makeIterator()
            while let byte = utf8.next() {
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0x00..<0x20, 0x7F: escaped(byte)
                case 0xC2:
                    // A Swift string is valid UTF-8: C2 always leads a pair, and C2 80-9F is U+0080-U+009F.
                    guard let next = utf8.next() else { bytes.append(byte); break }
                    if (0x80...0x9F).contains(next) { escaped(next) } else { bytes.append(contentsOf: [byte, next]) }
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private static func needsEscape(_ byte: UInt8) -> Bool {
            byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F || byte == 0xC2
        }

        /// `\u00XX` with lowercase hex digits, as JSONEncoder spells U+0000-U+001F.
        private mutating func escaped(_ scalar: UInt8) {
            append("\\u00")
            bytes.append(Self.hexDigits[Int(scalar >> 4)])
            bytes.append(Self.hexDigits[Int(scalar & 0x0F)])
        }

        private static let hexDigits = Array("0123456789abcdef".utf8)

        private mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

        private mutating func indent(_ depth: Int) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }

        private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
    }
}
