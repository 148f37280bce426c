import ShardtopCore

/// A node's CLUSTER NODES reply as read into entries, with a token for its text, so the next
/// tick can tell a reply that says the same and skip reading it again. The reply of a big cluster
/// is one line per node (5,000 lines, 500 KB), and between ticks what it says rarely changes.
///
/// The token is a hash (the standard library's SipHash, seeded per process) of the text without
/// each line's ping-sent and pong-recv fields: those two timestamps move with every gossip message
/// (16 of 30 lines between two replies a second apart on an idle lab, nothing else), so a hash of
/// the whole text matched almost never and every reply was parsed and read into views again. The
/// text itself is not kept, which at 500 nodes would be 25 MB.
struct ParsedTopology: Sendable {
    let token: UInt64
    /// How many bytes the token covers.
    let byteCount: Int
    /// Entries as last parsed: when a reply is recognised, its entries are the previous reply's,
    /// so `pingSentMillis` and `pongReceivedMillis` are those of the last reply that was parsed.
    let entries: [TopologyEntry]
    /// True when these entries were taken from the last reply rather than parsed.
    let reused: Bool

    static func read(_ text: String, reusing last: ParsedTopology?) throws -> ParsedTopology {
        try read(bytes: Array(text.utf8), reusing: last)
    }

    static func read(bytes: [UInt8], reusing last: ParsedTopology?) throws -> ParsedTopology {
        let (token, byteCount) = bytes.withUnsafeBufferPointer { bytes in Self.token(bytes) }
        if let last, last.token == token, last.byteCount == byteCount {
            return ParsedTopology(token: token, byteCount: byteCount, entries: last.entries, reused: true)
        }
        let entries = try ClusterNodesParser.parse(bytes: bytes)
        guard entries.contains(where: { $0.flags.contains(.myself) }) else {
            throw RedisClientError.unexpectedReply("CLUSTER NODES has no myself line")
        }
        return ParsedTopology(token: token, byteCount: byteCount, entries: entries, reused: false)
    }

    /// The token of a reply and how many bytes it covers: every byte but the timestamps when every
    /// line has the plain shape the server writes, else every byte (such a reply is then only
    /// recognised when it is byte-identical, as before).
    static func token(_ bytes: UnsafeBufferPointer<UInt8>) -> (token: UInt64, byteCount: Int) {
        if let stable = stableToken(bytes) { return stable }
        var hasher = Hasher()
        hasher.combine(0 as UInt8)
        hasher.combine(bytes.count)
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return (UInt64(bitPattern: Int64(hasher.finalize())), bytes.count)
    }

    /// nil unless every line is `f0 f1 f2 f3 DIGITS DIGITS f6 ...` with single spaces and nothing
    /// but printable ASCII before its seventh field; the parser splits fields the same way there, so
    /// the skipped bytes are exactly its ping-sent and pong-recv, and whatever else changes moves
    /// the token. Lines end at LF, which the server's reply also ends with.
    private static func stableToken(_ bytes: UnsafeBufferPointer<UInt8>) -> (token: UInt64, byteCount: Int)? {
        var hasher = Hasher()
        hasher.combine(1 as UInt8)
        var covered = 0
        var lineStart = 0
        let count = bytes.count
        while lineStart < count {
            var cursor = lineStart
            var spaces = 0
            var previousWasSpace = true
            var skipFrom = 0
            // The first six fields: four hashed, two skipped (digits only).
            while cursor < count, spaces < 6 {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: " ") {
                    if previousWasSpace { return nil }
                    spaces += 1
                    previousWasSpace = true
                    if spaces == 4 { skipFrom = cursor + 1 }
                } else {
                    // Printable ASCII only: the parser also breaks lines at VT, FF, NEL, LS and PS.
                    if byte < 0x20 || byte >= 0x7F { return nil }
                    if spaces >= 4, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return nil }
                    previousWasSpace = false
                }
                cursor += 1
            }
            // A short line (a line break inside the first six fields is a control byte, above).
            if spaces < 6 { return nil }
            // cursor is just past the sixth space; the rest of the line, with its LF, is hashed.
            var lineEnd = cursor
            while lineEnd < count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd < count { lineEnd += 1 }
            let head = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[lineStart..<skipFrom]))
            let tail = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(cursor - 1)..<lineEnd]))
            // Lengths first, so bytes cannot shift between the two parts unnoticed.
            hasher.combine(head.count)
            hasher.combine(bytes: head)
            hasher.combine(tail.count)
            hasher.combine(bytes: tail)
            covered += head.count + tail.count
            lineStart = lineEnd
        }
        return (UInt64(bitPattern: Int64(hasher.finalize())), covered)
    }
}
