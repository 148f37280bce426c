import Foundation
import ShardtopCore
import ShardtopRedis

/// How `shardtop logs` prints a line: `time role level message`, with the recognised event
/// after `<<`. Colour by level only on a terminal, so a pipe or a file gets plain text.
public struct LogLinePrinter {
    public let colour: Bool
    private let formatter: DateFormatter

    public init(colour: Bool, timeZone: TimeZone) {
        self.colour = colour
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
    }

    public func format(_ line: LogLine) -> String {
        // Log text comes from outside: escape sequences in it must not drive this terminal.
        guard line.isParsed else { return sanitizedForDisplay(line.raw, limit: 4096) }
        let time = line.time.map(formatter.string) ?? String(repeating: " ", count: 23)
        let level = (line.level?.description ?? "-").padding(toLength: 7, withPad: " ", startingAt: 0)
        let role = (line.role == .unknown ? "-" : line.role.description).padding(toLength: 7, withPad: " ", startingAt: 0)
        var text = "\(time) \(role) \(level) \(sanitizedForDisplay(line.message, limit: 4096))"
        if let event = line.event { text += "  << \(event)" }
        guard colour, let code = Self.colourCode(line.level, event: line.event != nil) else { return text }
        return "\u{1b}[\(code)m\(text)\u{1b}[0m"
    }

    private static func colourCode(_ level: LogLevel?, event: Bool) -> String? {
        if event { return "1;36" }
        switch level {
        case .warning: return "33"
        case .debug, .verbose: return "2"
        default: return nil
        }
    }
}
