/// A JSON document as a plain value, built field by field by the types of `snapshot --json`.
///
/// Why not only `Codable`: a cold `shardtop snapshot --json` spent about 2.5 ms of its 23 in
/// `JSONEncoder`, most of it the runtime instantiating one generic container per coding-keys type
/// and scanning the binary's 8,579 protocol conformance records for each (issue 12: profiled).
/// Building this tree costs no reflection; `JSONText` writes it. The same tree is what these
/// types' `encode(to:)` hands to any `Encoder` (recordings), so the field list is written once.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in the order given; `JSONText` sorts them by key when it writes.
    case object([JSONMember])
}

public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A type written into `snapshot --json` (and recordings) through `JSONValue`.
public protocol JSONRepresentable {
    var jsonValue: JSONValue { get }
}

/// Missing values become `null`, never a missing key: the JSON contract's rule.
extension JSONValue {
    public init(_ value: String?) { self = value.map { .string($0) } ?? .null }
    public init(_ value: Bool?) { self = value.map { .bool($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .int($0) } ?? .null }
    public init(_ value: Double?) { self = value.map { .double($0) } ?? .null }
    public init(_ value: (some JSONRepresentable)?) { self = value?.jsonValue ?? .null }
    public init(_ value: (some RawRepresentable<String>)?) { self = value.map { .string($0.rawValue) } ?? .null }
    public init(_ values: [some JSONRepresentable]) { self = .array(values.map(\.jsonValue)) }
    public init(_ values: [String]) { self = .array(values.map { .string($0) }) }
}

extension JSONValue: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for member in members { try container.encode(member.value, forKey: Key(stringValue: member.key)) }
        }
    }
}
