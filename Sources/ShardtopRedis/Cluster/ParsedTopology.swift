import ShardtopCore

/// A node's CLUSTER NODES reply as read into entries, with a token for its text, so the next
/// tick can tell a byte-identical reply and skip reading it again. The reply of a big cluster is
/// one line per node (5,000 lines, 500 KB), and between ticks it is often unchanged.
///
/// The token is a hash of the text (the standard library's SipHash, seeded per process) plus its
/// length; the text itself is not kept, which at 500 nodes would be 25 MB.
struct ParsedTopology: Sendable {
    let token: UInt64
    let byteCount: Int
    let entries: [TopologyEntry]
    /// True when these entries were taken from the last reply rather than parsed.
    let reused: Bool

    static func read(_ text: String, reusing last: ParsedTopology?) throws -> ParsedTopology {
        try read(bytes: Array(text.utf8), reusing: last)
    }

    static func read(bytes: [UInt8], reusing last: ParsedTopology?) throws -> ParsedTopology {
        let (token, byteCount) = bytes.withUnsafeBufferPointer { bytes in (Self.token(bytes), bytes.count) }
        if let last, last.token == token, last.byteCount == byteCount {
            return ParsedTopology(token: token, byteCount: byteCount, entries: last.entries, reused: true)
        }
        let entries = try ClusterNodesParser.parse(bytes: bytes)
        guard entries.contains(where: { $0.flags.contains(.myself) }) else {
            throw RedisClientError.unexpectedReply("CLUSTER NODES has no myself line")
        }
        return ParsedTopology(token: token, byteCount: byteCount, entries: entries, reused: false)
    }

    private static func token(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes.count)
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
