import Foundation

/// Reads Redis and Valkey log lines into `LogLine`s.
///
/// Formats (checked against real files from redis-server 7.0.15 and valkey-server 9.1.2):
/// - legacy: `13089:S 22 Nov 2026 16:04:34.137 # Failover election won: I'm the new master.`
///   (role tag M/S/C/X, level marker `.` `-` `*` `#`);
/// - Valkey 8.1+ `--log-format logfmt`:
///   `pid=13771 role=replica timestamp="22 Nov 2026 16:05:20.373" level=notice message="..."`;
/// - either one with Valkey's `--log-timestamp-format iso8601` (`2026-11-22T16:07:33.625+00:00`)
///   or `milliseconds` (`1795363656131`) in place of the default timestamp;
/// - the signal handler's line, which has no role, level or date:
///   `13091:signal-handler (1795363483) Received SIGTERM scheduling shutdown...`.
/// Anything else (the ASCII-art banner, a stack trace, binary junk) becomes an unparsed line.
///
/// No regular expressions and no DateFormatter: one pass over the UTF-8 bytes, because a tail
/// of a busy node and a followed stream both go through here line by line.
public struct LogLineParser: Sendable {
    /// The zone the node's wall-clock timestamps are read in (see `LogLine.time`).
    public let timeZone: TimeZone
    /// Set when the zone never changes its offset, so no per-line zone lookup is needed.
    private let fixedOffset: Int?

    public init(timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!) {
        self.timeZone = timeZone
        let probe = Date(timeIntervalSince1970: 0)
        fixedOffset = timeZone.nextDaylightSavingTimeTransition(after: probe) == nil ? timeZone.secondsFromGMT(for: probe) : nil
    }

    public func parse(_ line: String) -> LogLine {
        var copy = line
        let parsed: LogLine? = copy.withUTF8 { bytes in
            var scanner = ByteScanner(bytes)
            if let first = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
                return legacy(&scanner, raw: line)
            }
            return logfmt(&scanner, raw: line)
        }
        guard var result = parsed else { return .unparsed(line) }
        result.event = LogEventRecognizer.recognize(result.message)
        return result
    }

    // MARK: - Legacy

    private func legacy(_ s: inout ByteScanner, raw: String) -> LogLine? {
        guard let pid = s.integer(maxDigits: 10), s.skip(UInt8(ascii: ":")) else { return nil }
        if s.skip("signal-handler (") {
            guard let seconds = s.integer(maxDigits: 12), s.skip(UInt8(ascii: ")")) else { return nil }
            _ = s.skip(UInt8(ascii: " "))
            return LogLine(time: Date(timeIntervalSince1970: Double(seconds)), pid: pid, role: .unknown, level: nil,
                           message: s.rest(), raw: raw)
        }
        guard let tag = s.next(), s.skip(UInt8(ascii: " ")) else { return nil }
        guard let time = timestamp(&s), s.skip(UInt8(ascii: " ")),
              let marker = s.next(), let level = LogLevel(marker: marker) else { return nil }
        // The message may be empty, then the line ends right after the marker.
        guard s.atEnd || s.skip(UInt8(ascii: " ")) else { return nil }
        return LogLine(time: time, pid: pid, role: LogRole(tag: tag), level: level, message: s.rest(), raw: raw)
    }

    /// Any of the three timestamp forms; leaves the scanner just after it.
    private func timestamp(_ s: inout ByteScanner) -> Date? {
        if s.peek(2) == UInt8(ascii: " ") { return wallClock(&s) }
        let start = s.position
        let token = s.token()
        if token.contains(UInt8(ascii: "T")) {
            var iso = ByteScanner(token)
            if let date = iso8601(&iso), iso.atEnd { return date }
            return nil
        }
        guard !token.isEmpty, token.count <= 16, token.allSatisfy(ByteScanner.isDigit) else { s.position = start; return nil }
        let millis = token.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// `22 Nov 2026 16:04:34.137`, the node's wall clock.
    private func wallClock(_ s: inout ByteScanner) -> Date? {
        guard let day = s.fixed(2), s.skip(UInt8(ascii: " ")), let month = s.month(), s.skip(UInt8(ascii: " ")),
              let year = s.fixed(4), s.skip(UInt8(ascii: " ")),
              let (hour, minute, second, millis) = clock(&s) else { return nil }
        guard (1...31).contains(day) else { return nil }
        let local = CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        let offset = fixedOffset ?? timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local)))
        return Date(timeIntervalSince1970: Double(local - offset) + Double(millis) / 1000)
    }

    /// `2026-11-22T16:07:33.625+00:00` (or `Z`): exact, the offset is in the text.
    private func iso8601(_ s: inout ByteScanner) -> Date? {
        guard let year = s.fixed(4), s.skip(UInt8(ascii: "-")), let month = s.fixed(2), s.skip(UInt8(ascii: "-")),
              let day = s.fixed(2), s.skip(UInt8(ascii: "T")),
              let (hour, minute, second, millis) = clock(&s),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var offset = 0
        if s.skip(UInt8(ascii: "Z")) {
            offset = 0
        } else if let sign = s.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            guard let hours = s.fixed(2) else { return nil }
            _ = s.skip(UInt8(ascii: ":"))
            guard let minutes = s.fixed(2) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let local = CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Date(timeIntervalSince1970: Double(local - offset) + Double(millis) / 1000)
    }

    /// `HH:MM:SS.mmm`; the milliseconds are optional so a seconds-only variant still reads.
    private func clock(_ s: inout ByteScanner) -> (Int, Int, Int, Int)? {
        guard let hour = s.fixed(2), s.skip(UInt8(ascii: ":")), let minute = s.fixed(2), s.skip(UInt8(ascii: ":")),
              let second = s.fixed(2), hour < 24, minute < 60, second < 61 else { return nil }
        var millis = 0
        if s.skip(UInt8(ascii: ".")) {
            guard let value = s.fixed(3) else { return nil }
            millis = value
        }
        return (hour, minute, second, millis)
    }

    // MARK: - logfmt

    private func logfmt(_ s: inout ByteScanner, raw: String) -> LogLine? {
        var pid: Int?
        var role = LogRole.unknown
        var time: Date?
        var level: LogLevel?
        var message: String?
        while !s.atEnd {
            guard let key = s.key(), let value = s.value() else { return nil }
            switch key {
            case "pid": pid = Int(value)
            case "role": role = LogRole(name: value)
            case "level": level = LogLevel(name: value)
            case "message": message = value
            case "timestamp":
                var copy = value
                time = copy.withUTF8 { bytes in
                    var inner = ByteScanner(bytes)
                    let date = timestamp(&inner)
                    return inner.atEnd ? date : nil
                }
            default: break  // a future key must not turn every line into garbage
            }
            while s.skip(UInt8(ascii: " ")) {}
        }
        // A line with key=value pairs but no level or message is some other program's logfmt.
        guard let level, let message else { return nil }
        return LogLine(time: time, pid: pid, role: role, level: level, message: message, raw: raw)
    }
}

/// Seconds since 1970 for a proleptic Gregorian date and time, without calendar objects:
/// counts days from the civil date with the usual March-based year (so February's length only
/// matters at the end of a year), then adds the time of day.
enum CivilTime {
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }
}
