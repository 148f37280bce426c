/// One decoded RESP2 or RESP3 reply.
///
/// RESP2 and RESP3 share one enum so that code above the codec does not care which protocol
/// the connection negotiated: both RESP2 nulls (`$-1`, `*-1`) and the RESP3 `_` become `.null`,
/// and a RESP3 bulk error (`!`) becomes `.error` like a simple one.
/// RESP3 attributes (`|`) never appear here: the parser drops them and returns the value they annotate.
public enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    /// Raw bytes: keys and values are binary-safe, so they are not forced into a String.
    case bulkString([UInt8])
    case null
    case array([RESPValue])
    case double(Double)
    case boolean(Bool)
    /// Kept as text because it may not fit in any fixed-width integer.
    case bigNumber(String)
    case verbatim(format: String, text: String)
    /// Kept as ordered pairs rather than a Dictionary: servers rely on reply order and keys may repeat.
    case map([RESPPair])
    case set([RESPValue])
    case push([RESPValue])
}

/// One key/value entry of a RESP3 map.
public struct RESPPair: Sendable, Hashable {
    public var key: RESPValue
    public var value: RESPValue

    public init(key: RESPValue, value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue {
    /// The textual content of any string-like reply; invalid UTF-8 is repaired, not rejected,
    /// because the text is meant for display and parsing at the edge, not for round-tripping bytes.
    public var string: String? {
        switch self {
        case .simpleString(let text), .bigNumber(let text), .verbatim(_, let text):
            return text
        case .bulkString(let bytes):
            return String(decoding: bytes, as: UTF8.self)
        default:
            return nil
        }
    }

    /// The integer value, also when a server sends a number as a string (common in RESP2 replies
    /// such as CONFIG GET or INFO fields).
    public var int: Int64? {
        switch self {
        case .integer(let value):
            return value
        case .simpleString(let text):
            return Int64(text)
        case .bulkString(let bytes):
            return Int64(String(decoding: bytes, as: UTF8.self))
        default:
            return nil
        }
    }

    /// The elements of any sequence-shaped reply; a RESP3 set or push is read the same way as
    /// the RESP2 array the same command would return.
    public var array: [RESPValue]? {
        switch self {
        case .array(let elements), .set(let elements), .push(let elements):
            return elements
        default:
            return nil
        }
    }

    public var errorMessage: String? {
        if case .error(let message) = self {
            return message
        }
        return nil
    }
}
