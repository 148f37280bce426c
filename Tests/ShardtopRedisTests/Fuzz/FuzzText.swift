/// Bytes shown printable for a failure message: a failing input may hold terminal escapes too.
enum FuzzText {
    static func shown(_ bytes: [UInt8], limit: Int = 200) -> String {
        let text = bytes.prefix(limit).map { byte in
            byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") ? String(UnicodeScalar(byte)) : "\\x" + hex(byte)
        }.joined()
        return bytes.count > limit ? text + "... (\(bytes.count) bytes)" : text
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
