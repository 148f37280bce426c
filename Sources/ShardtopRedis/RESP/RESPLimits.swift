/// Caps that keep a hostile or broken server from making the client allocate, recurse or scan
/// without bound. Every count and length in a reply is checked against these before it is used.
public struct RESPLimits: Sendable, Hashable {
    /// Largest bulk string, bulk error or verbatim string accepted, in bytes.
    public var maxBulkLength: Int
    /// Largest declared element count of one aggregate; a map counts each pair as two elements.
    public var maxElements: Int
    /// Deepest nesting of aggregates (arrays, maps, sets, pushes, attributes).
    public var maxDepth: Int
    /// Longest simple line (`+`, `-`, `,`, `(`...) accepted before its CRLF.
    public var maxLineLength: Int
    /// Most bytes one reply may occupy while it is still arriving. The caps above hold per
    /// element; without this, a reply of many elements each under them (an endless attribute
    /// chain, a million 64 MiB bulks) would grow the buffer until the request deadline.
    public var maxReplyBytes: Int

    public init(
        maxBulkLength: Int = 64 * 1024 * 1024,
        maxElements: Int = 1_048_576,
        maxDepth: Int = 32,
        maxLineLength: Int = 64 * 1024,
        maxReplyBytes: Int = 256 * 1024 * 1024
    ) {
        self.maxReplyBytes = maxReplyBytes
        self.maxBulkLength = maxBulkLength
        self.maxElements = maxElements
        self.maxDepth = maxDepth
        self.maxLineLength = maxLineLength
    }

    public static let `default` = RESPLimits()
}

/// Why a reply was rejected. The connection that produced it cannot be trusted to be in sync
/// any more, so callers should close it rather than try to skip ahead.
public enum RESPProtocolError: Error, Hashable, CustomStringConvertible {
    case unknownTypeByte(UInt8)
    case bulkTooLong(length: Int64, limit: Int)
    case aggregateTooLarge(count: Int64, limit: Int)
    /// Separate from `aggregateTooLarge` because the limit is in elements while the wire count is in pairs.
    case mapTooLarge(pairs: Int64, limit: Int)
    case nestingTooDeep(limit: Int)
    case lineTooLong(limit: Int)
    case lengthOverflow
    case integerOverflow
    case badLength
    /// Only -1 has a meaning (RESP2 null), and only for bulk strings and arrays.
    case negativeLength(Int64)
    case badInteger
    case badDouble
    case badBoolean
    case badBigNumber
    case badVerbatim
    case missingCRLFAfterBulk
    case missingCRLF

    public var description: String {
        switch self {
        case .unknownTypeByte(let byte):
            return "unknown type byte \(Self.describe(byte))"
        case .bulkTooLong(let length, let limit):
            return "bulk length \(length) exceeds the \(limit)-byte limit"
        case .aggregateTooLarge(let count, let limit):
            return "aggregate of \(count) elements exceeds the limit of \(limit)"
        case .mapTooLarge(let pairs, let limit):
            return "map of \(pairs) pairs exceeds the limit of \(limit) elements (two per pair)"
        case .nestingTooDeep(let limit):
            return "nesting deeper than \(limit) levels"
        case .lineTooLong(let limit):
            return "line longer than \(limit) bytes without CRLF"
        case .lengthOverflow:
            return "integer overflow in length"
        case .integerOverflow:
            return "integer overflow in integer reply"
        case .badLength:
            return "bad length"
        case .negativeLength(let length):
            return "negative length \(length) (only -1, meaning null, is allowed for bulk strings and arrays)"
        case .badInteger:
            return "malformed integer reply"
        case .badDouble:
            return "malformed double reply"
        case .badBoolean:
            return "malformed boolean reply (expected #t or #f)"
        case .badBigNumber:
            return "malformed big number reply"
        case .badVerbatim:
            return "malformed verbatim string (expected a 3-byte format and ':')"
        case .missingCRLFAfterBulk:
            return "missing CRLF after bulk data"
        case .missingCRLF:
            return "missing CRLF"
        }
    }

    /// Shows the character only when printable, so a binary or hostile byte cannot corrupt the terminal.
    private static func describe(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        let code = "0x" + (hex.count < 2 ? "0" + hex : hex)
        guard byte >= 0x20, byte < 0x7F else { return code }
        return "\(code) ('\(Character(Unicode.Scalar(byte)))')"
    }
}
