import Foundation

/// One line of a node's log, parsed as far as its format allowed.
///
/// A line that matches no known format is still a `LogLine` (`isParsed == false`, everything but
/// `raw` and `message` empty): a log view must never drop or reorder what the server wrote.
public struct LogLine: Sendable, Hashable {
    /// When the node wrote the line. The legacy format and logfmt's default timestamp carry no
    /// time zone: they are the node's wall clock, turned into a `Date` by reading that wall clock
    /// in the zone the parser was given (UTC unless told otherwise), so lines from several nodes in
    /// one zone interleave correctly. ISO 8601 and millisecond timestamps are exact. Nil when the
    /// line had no readable time.
    public var time: Date?
    public var pid: Int?
    public var role: LogRole
    /// Nil only for lines that are not in a known format.
    public var level: LogLevel?
    /// The text after the header, or the whole raw line when unparsed.
    public var message: String
    /// The line exactly as read (without its newline), for copy-paste and search.
    public var raw: String
    public var event: LogEventKind?
    public var isParsed: Bool

    public init(time: Date?, pid: Int?, role: LogRole, level: LogLevel?, message: String, raw: String,
                event: LogEventKind? = nil, isParsed: Bool = true) {
        self.time = time
        self.pid = pid
        self.role = role
        self.level = level
        self.message = message
        self.raw = raw
        self.event = event
        self.isParsed = isParsed
    }

    /// A line that is not in any known format, kept verbatim.
    public static func unparsed(_ raw: String) -> LogLine {
        LogLine(time: nil, pid: nil, role: .unknown, level: nil, message: raw, raw: raw, isParsed: false)
    }

    /// A line shardtop writes itself into a log view (why the log is unreachable, a slowlog entry),
    /// so it reads like the rest and sorts by `time`.
    public static func note(_ message: String, level: LogLevel = .notice, time: Date? = nil) -> LogLine {
        LogLine(time: time, pid: nil, role: .unknown, level: level, message: message, raw: message)
    }
}
