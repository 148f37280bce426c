import Foundation
import Testing
@testable import ShardtopCore

@Suite struct LogLineParserTests {
    let parser = LogLineParser()

    func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)!
    }

    @Test func legacyLine() {
        let line = parser.parse("13089:S 22 Nov 2026 16:04:34.137 # Failover election won: I'm the new master.")
        #expect(line.isParsed)
        #expect(line.pid == 13089)
        #expect(line.role == .replica)
        #expect(line.level == .warning)
        #expect(line.message == "Failover election won: I'm the new master.")
        #expect(line.time == utc("2026-11-22T16:04:34.137Z"))
        #expect(line.event == .failoverElectionWon)
    }

    @Test func legacyRolesAndLevels() {
        let cases: [(String, LogRole, LogLevel)] = [
            ("1:M 01 Jan 2024 00:00:00.000 . a", .primary, .debug),
            ("1:S 01 Jan 2024 00:00:00.000 - a", .replica, .verbose),
            ("1:C 01 Jan 2024 00:00:00.000 * a", .child, .notice),
            ("1:X 01 Jan 2024 00:00:00.000 # a", .sentinel, .warning),
            ("1:Q 01 Jan 2024 00:00:00.000 # a", .unknown, .warning),
        ]
        for (text, role, level) in cases {
            let line = parser.parse(text)
            #expect(line.role == role && line.level == level, "\(text)")
        }
    }

    @Test func wallClockIsReadInTheParsersZone() throws {
        let berlin = LogLineParser(timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        // Winter (UTC+1) and summer (UTC+2): the zone's offset on that date applies.
        #expect(berlin.parse("1:M 15 Jan 2024 12:00:00.000 * x").time == utc("2024-01-15T11:00:00.000Z"))
        #expect(berlin.parse("1:M 15 Jul 2024 12:00:00.000 * x").time == utc("2024-07-15T10:00:00.000Z"))
        #expect(parser.parse("1:M 29 Feb 2024 23:59:59.999 * x").time == utc("2024-02-29T23:59:59.999Z"))
        #expect(parser.parse("1:M 01 Mar 2000 00:00:00.000 * x").time == utc("2000-03-01T00:00:00.000Z"))
    }

    @Test func valkeyTimestampFormats() throws {
        let lines = try LogFixtures.parsed("valkey9-timestamp-formats")
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.isParsed && $0.level == .notice && $0.role == .primary })
        #expect(lines[0].time == utc("2026-11-22T16:07:32.374Z"))  // logfmt, iso8601
        #expect(lines[2].time == utc("2026-11-22T16:07:33.625Z"))  // legacy, iso8601
        #expect(lines[4].time == Date(timeIntervalSince1970: 1_795_363_654.874))  // logfmt, milliseconds
        #expect(lines[6].time == Date(timeIntervalSince1970: 1_795_363_656.131))  // legacy, milliseconds
        #expect(lines[6].message == "oO0OoO0OoO0Oo Valkey is starting oO0OoO0OoO0Oo")
        #expect(parser.parse("1:M 2024-07-15T12:00:00.000+02:00 * x").time == utc("2024-07-15T10:00:00.000Z"))
        #expect(parser.parse("1:M 2024-07-15T12:00:00.000-01:30 * x").time == utc("2024-07-15T13:30:00.000Z"))
    }

    @Test func logfmtLine() {
        let text = #"pid=13771 role=replica timestamp="22 Nov 2026 16:05:20.373" level=notice message="Failover election won: I'm the new primary.""#
        let line = parser.parse(text)
        #expect(line.isParsed)
        #expect(line.pid == 13771)
        #expect(line.role == .replica)
        #expect(line.level == .notice)
        #expect(line.time == utc("2026-11-22T16:05:20.373Z"))
        #expect(line.message == "Failover election won: I'm the new primary.")
        #expect(line.raw == text)
        #expect(line.event == .failoverElectionWon)
    }

    @Test func logfmtEscapesAndUnknownKeys() {
        let line = parser.parse(#"pid=1 role=primary extra=x level=warning message="say \"hi\" \\ \n" tail="#)
        #expect(line.isParsed)
        #expect(line.message == #"say "hi" \ \n"#)
        // A key=value line without level and message is somebody else's logfmt.
        #expect(!parser.parse("time=1 msg=hello").isParsed)
        #expect(!parser.parse(#"pid=1 level=notice message="unterminated"#).isParsed)
    }

    @Test func signalHandlerLine() {
        let line = parser.parse("13091:signal-handler (1795363483) Received SIGTERM scheduling shutdown...")
        #expect(line.isParsed)
        #expect(line.pid == 13091)
        #expect(line.level == nil)
        #expect(line.time == Date(timeIntervalSince1970: 1_795_363_483))
        #expect(line.message == "Received SIGTERM scheduling shutdown...")
    }

    @Test func garbageIsKeptVerbatim() {
        let garbage = [
            "", " ", "                _._", "           _.-``__ ''-._", "13089", "13089:", "13089:M", "13089:M 22",
            "13089:M 22 Nov 2026 16:04:34.137", "13089:M 22 Nov 2026 16:04:34.137 !", "13089:M 22 Zzz 2026 16:04:34.137 * x",
            "13089:M 99 Nov 2026 16:04:34.137 * x", "13089:M 22 Nov 2026 25:04:34.137 * x", "1:M 2024-13-01T00:00:00.000Z * x",
            "99999999999999999999:M 22 Nov 2026 16:04:34.137 * x", "1:M 123456789012345678901 * x",
            "pid=\"", "=", "a=b=c", "\u{1b}[31mred\u{1b}[0m", "\u{0}\u{1}\u{2}", "ü:M 22 Nov 2026 16:04:34.137 * x",
        ]
        for text in garbage {
            let line = parser.parse(text)
            #expect(!line.isParsed, "\(text)")
            #expect(line.raw == text && line.message == text && line.level == nil)
        }
    }

    @Test func emptyMessageAfterTheMarker() {
        let line = parser.parse("1:M 01 Jan 2024 00:00:00.000 *")
        #expect(line.isParsed && line.message.isEmpty && line.level == .notice)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789:MSCX .-*#=\"\\pidrolelvmesag TZ+-\u{1b}\u{0}ü".utf8)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<60, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            let line = parser.parse(text)
            #expect(line.raw == text)
        }
    }

    @Test func everyCapturedFixtureLineParsesOrIsKept() throws {
        for name in ["redis7-replica-manual-failover", "redis7-replica-promoted-after-fail", "redis7-old-primary",
                     "redis7-voter", "redis7-manual-failover-timeout-and-epoch-collision", "redis7-failover-auth-denied",
                     "valkey9-legacy-replica-manual-failover", "valkey9-logfmt-replica-manual-failover",
                     "valkey9-logfmt-replica-promoted-after-fail", "valkey9-logfmt-old-primary",
                     "valkey9-manual-failover-timeout-and-epoch-collision"] {
            let raw = try LogFixtures.lines(name)
            let lines = try LogFixtures.parsed(name)
            #expect(lines.map(\.raw) == raw)
            // Only blank lines and Redis' ASCII-art banner are not log lines.
            for line in lines where !line.isParsed {
                let text = line.raw.trimmingCharacters(in: .whitespaces)
                #expect(text.isEmpty || text.hasPrefix("_") || text.hasPrefix("(") || text.hasPrefix("|") || text.hasPrefix("`") || text.hasPrefix("-") || text.contains("_.") || text.contains("`-") || text.contains("|"), "\(name): \(line.raw)")
            }
            #expect(lines.filter(\.isParsed).allSatisfy { $0.time != nil && $0.pid != nil }, "\(name)")
        }
        let logfmt = try LogFixtures.parsed("valkey9-logfmt-replica-manual-failover")
        #expect(logfmt.allSatisfy { $0.isParsed || $0.raw.contains("signal-handler") })
        #expect(logfmt.first?.level == .warning)
        #expect(Set(logfmt.filter { $0.level != nil }.map(\.role)) == [.primary, .replica])
    }

    @Test func tailOfABusyLogParsesQuickly() {
        let line = #"pid=13771 role=replica timestamp="22 Nov 2026 16:05:20.371" level=notice message="Starting a failover election for epoch 7, node config epoch is 3""#
        let legacy = "13089:S 22 Nov 2026 16:04:34.135 # Starting a failover election for epoch 8."
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<10_000 {
                _ = parser.parse(line)
                _ = parser.parse(legacy)
            }
        }
        // 20,000 lines; a debug build on a shared 2-core machine still does this in well under a second.
        #expect(elapsed < .seconds(2), "\(elapsed)")
    }
}
