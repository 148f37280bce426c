import Foundation
import ShardtopRedis

/// Server text (versions, hostnames, cluster_state, and the findings and events quoting them) may
/// hold terminal escapes. Every line the headless commands print passes through here, so a
/// hostile node can put `\x1B` in its INFO but cannot drive the operator's terminal.
public enum TerminalSafe {
    /// The line with C0 controls, DEL and C1 controls shown as `\xNN`; other text unchanged.
    public static func line(_ text: String) -> String {
        sanitizedForDisplay(text, limit: .max)
    }

    /// JSONEncoder escapes U+0000-U+001F only, yet DEL and the C1 controls (U+009B is CSI) act
    /// on a terminal too when the JSON is printed there. They can only occur inside strings, so
    /// spelling them `\u00XX` keeps the document and its values the same. (`check` and `watch`
    /// lines come through here; `snapshot --json` is written by `JSONText`, which does the same.)
    public static func json(_ data: Data) -> Data {
        // Almost every document has neither byte: hand it back without copying. (Appending to
        // `Data` byte by byte cost a cold `snapshot --json` about 2 ms.)
        guard data.withUnsafeBytes({ $0.contains { $0 == 0x7F || $0 == 0xC2 } }) else { return data }
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 64)
        var bytes = data.makeIterator()
        while let byte = bytes.next() {
            if byte == 0x7F {
                out.append(contentsOf: "\\u007f".utf8)
            } else if byte == 0xC2, let next = bytes.next() {
                // UTF-8 for U+0080-U+009F is C2 80-C2 9F; other C2 pairs are printable Latin-1.
                if (0x80...0x9F).contains(next) {
                    out.append(contentsOf: "\\u00\(String(next, radix: 16))".utf8)
                } else {
                    out.append(contentsOf: [byte, next])
                }
            } else {
                out.append(byte)
            }
        }
        return Data(out)
    }
}
