import NIOCore
import ShardtopRedis

/// Everything a byte stream decodes to: the values in order, then the error that ended the
/// stream, or else how many bytes were left waiting for more. Two ways of feeding the same bytes
/// must give equal outcomes; values are compared by their canonical encoding so that a decoded
/// NaN (never equal to itself) still compares equal.
struct DecodeOutcome: Equatable, CustomStringConvertible {
    var values: [RESPValue] = []
    var error: RESPProtocolError?
    var leftover = 0

    static func == (lhs: DecodeOutcome, rhs: DecodeOutcome) -> Bool {
        lhs.values.map(canonical) == rhs.values.map(canonical) && lhs.error == rhs.error
            && (lhs.error != nil || lhs.leftover == rhs.leftover)
    }

    var description: String {
        "\(values.count) values, " + (error.map { "error \($0)" } ?? "\(leftover) bytes left")
    }

    /// Feeds `wire` in pieces of the given sizes (cycled; a size of 0 counts as 1), the way reads
    /// arrive on a channel, and stops at the first error as the connection would.
    static func decode(_ wire: [UInt8], chunks: [Int] = [], limits: RESPLimits = .default) -> DecodeOutcome {
        var parser = RESPParser(limits: limits)
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        var outcome = DecodeOutcome()
        var start = 0
        var piece = 0
        while start < wire.count {
            let size = chunks.isEmpty ? wire.count : max(1, chunks[piece % chunks.count])
            piece += 1
            let end = min(wire.count, start + size)
            buffer.writeBytes(wire[start..<end])
            start = end
            do {
                while let value = try parser.parse(&buffer) { outcome.values.append(value) }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        outcome.leftover = buffer.readableBytes
        return outcome
    }

    static func canonical(_ value: RESPValue) -> [UInt8] {
        var buffer = ByteBuffer()
        RESPEncoder.encode(value, into: &buffer)
        return Array(buffer.readableBytesView)
    }
}

/// The bounds a decoded value must stay within, whatever the peer declared: the decoder may
/// allocate for what actually arrived, never for what a header promised.
enum DecodedBounds {
    /// The deepest aggregate nesting in `value` (a scalar is 0, `[1]` is 1).
    static func depth(_ value: RESPValue) -> Int {
        children(value).map(depth).max().map { $0 + 1 } ?? (isAggregate(value) ? 1 : 0)
    }

    /// Every scalar and aggregate in `value`, itself included.
    static func nodeCount(_ value: RESPValue) -> Int {
        1 + children(value).map(nodeCount).reduce(0, +)
    }

    /// nil when within `limits`, else what was exceeded.
    static func violation(_ value: RESPValue, limits: RESPLimits) -> String? {
        if depth(value) > limits.maxDepth { return "depth \(depth(value)) > \(limits.maxDepth)" }
        return firstViolation(value, limits: limits)
    }

    private static func firstViolation(_ value: RESPValue, limits: RESPLimits) -> String? {
        switch value {
        case .bulkString(let bytes) where bytes.count > limits.maxBulkLength:
            return "bulk of \(bytes.count) bytes"
        // Invalid UTF-8 is repaired with U+FFFD (3 bytes for 1), so text may be up to 3x the line.
        case .simpleString(let text), .error(let text), .bigNumber(let text):
            if text.utf8.count > 3 * max(limits.maxLineLength, limits.maxBulkLength) { return "text of \(text.utf8.count) bytes" }
        case .verbatim(_, let text) where text.utf8.count > 3 * limits.maxBulkLength:
            return "verbatim of \(text.utf8.count) bytes"
        case .map(let pairs) where pairs.count * 2 > limits.maxElements:
            return "map of \(pairs.count) pairs"
        case .array(let elements), .set(let elements), .push(let elements):
            if elements.count > limits.maxElements { return "aggregate of \(elements.count)" }
        default:
            break
        }
        for child in children(value) {
            if let found = firstViolation(child, limits: limits) { return found }
        }
        return nil
    }

    private static func isAggregate(_ value: RESPValue) -> Bool {
        switch value {
        case .array, .set, .push, .map: return true
        default: return false
        }
    }

    private static func children(_ value: RESPValue) -> [RESPValue] {
        switch value {
        case .array(let elements), .set(let elements), .push(let elements): return elements
        case .map(let pairs): return pairs.flatMap { [$0.key, $0.value] }
        default: return []
        }
    }
}
