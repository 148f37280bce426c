/// How loud a server log line is, in the server's own four steps (`loglevel` in redis.conf).
/// Ordered, so a view can show "notice and above".
public enum LogLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case debug, verbose, notice, warning

    /// The marker the legacy format writes after the timestamp: `.` `-` `*` `#`.
    public init?(marker: UInt8) {
        switch marker {
        case UInt8(ascii: "."): self = .debug
        case UInt8(ascii: "-"): self = .verbose
        case UInt8(ascii: "*"): self = .notice
        case UInt8(ascii: "#"): self = .warning
        default: return nil
        }
    }

    /// The word logfmt writes (`level=notice`), which is also how shardtop prints a level.
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = level
    }

    public var description: String {
        switch self {
        case .debug: "debug"
        case .verbose: "verbose"
        case .notice: "notice"
        case .warning: "warning"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
