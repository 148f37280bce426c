/// A cursor over one line's UTF-8 bytes for `LogLineParser`. Every read checks bounds and
/// returns nil instead of trapping: log lines come from outside and may be cut or corrupt.
struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    init(_ slice: Slice<UnsafeBufferPointer<UInt8>>) {
        self.bytes = UnsafeBufferPointer(rebasing: slice)
    }

    var atEnd: Bool { position >= bytes.count }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    mutating func next() -> UInt8? {
        guard let byte = peek() else { return nil }
        position += 1
        return byte
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for index in 0..<count where bytes[position + index] != pointer[index] { return false }
        position += count
        return true
    }

    /// 1 to `maxDigits` decimal digits.
    mutating func integer(maxDigits: Int) -> Int? {
        var value = 0
        var digits = 0
        while let byte = peek(), Self.isDigit(byte) {
            guard digits < maxDigits else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
            position += 1
        }
        return digits > 0 ? value : nil
    }

    /// Exactly `count` decimal digits.
    mutating func fixed(_ count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for index in position..<position + count {
            guard Self.isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        }
        position += count
        return value
    }

    private static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// An English three-letter month, as C's `%b` writes it in the server's "C" locale.
    mutating func month() -> Int? {
        for (index, name) in Self.months.enumerated() where skip(name) { return index + 1 }
        return nil
    }

    /// Bytes up to the next space or the end.
    mutating func token() -> Slice<UnsafeBufferPointer<UInt8>> {
        let start = position
        while let byte = peek(), byte != UInt8(ascii: " ") { position += 1 }
        return bytes[start..<position]
    }

    func rest() -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[min(position, bytes.count)...]), as: UTF8.self)
    }

    // MARK: logfmt

    /// `key=`: letters, digits, `_`, `-`, `.`; nil when the text here is not a key.
    mutating func key() -> String? {
        let start = position
        while let byte = peek(), byte != UInt8(ascii: "="), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\"") {
            position += 1
        }
        guard position > start, skip(UInt8(ascii: "=")) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
    }

    /// A bare word, or a double-quoted string in which `\"` and `\\` stand for `"` and `\`
    /// (other backslashes are kept as written). Nil for an unterminated quote.
    mutating func value() -> String? {
        guard skip(UInt8(ascii: "\"")) else {
            let word = token()
            return String(decoding: UnsafeBufferPointer(rebasing: word), as: UTF8.self)
        }
        let start = position
        var hasEscape = false
        while let byte = next() {
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                _ = next()
            } else if byte == UInt8(ascii: "\"") {
                let inner = UnsafeBufferPointer(rebasing: bytes[start..<position - 1])
                return hasEscape ? Self.unescape(inner) : String(decoding: inner, as: UTF8.self)
            }
        }
        return nil
    }

    private static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
               bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") {
                out.append(bytes[index + 1])
                index += 2
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
