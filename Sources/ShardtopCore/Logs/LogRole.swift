/// Which process wrote a log line, as the server tags it. A node's role changes over its life
/// (a failover flips it), so this is per line, not per node.
public enum LogRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case primary, replica
    /// A forked child: RDB/AOF rewrite, or the server before it knows its role (startup lines).
    case child
    case sentinel
    case unknown

    /// The legacy one-letter tag after the pid: `M` `S` `C` `X`.
    public init(tag: UInt8) {
        switch tag {
        case UInt8(ascii: "M"): self = .primary
        case UInt8(ascii: "S"): self = .replica
        case UInt8(ascii: "C"): self = .child
        case UInt8(ascii: "X"): self = .sentinel
        default: self = .unknown
        }
    }

    /// The logfmt word (`role=primary`). Older words ("master", "slave") are accepted too,
    /// because a build that kept them would otherwise show every line as unknown.
    public init(name: String) {
        switch name {
        case "primary", "master": self = .primary
        case "replica", "slave": self = .replica
        case "child": self = .child
        case "sentinel": self = .sentinel
        default: self = .unknown
        }
    }

    public var description: String { rawValue }
}
