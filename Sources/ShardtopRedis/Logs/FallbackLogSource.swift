import Foundation
import ShardtopCore

/// What a node can tell about itself over RESP when its log file is out of reach: SLOWLOG GET,
/// LATENCY LATEST, and Valkey's COMMANDLOG GET <n> slow (only where the server has it, asked
/// with COMMAND INFO rather than guessed from a version). The first line says why the log
/// itself is not shown, so the operator knows this is a stand-in and how to get the real thing.
public struct FallbackLogSource: LogSource {
    public let client: NodeClient
    public let reason: String
    public let count: Int
    public let follow: Bool
    public let interval: Duration

    public init(client: NodeClient, reason: String, count: Int = 20, follow: Bool = false, interval: Duration = .seconds(5)) {
        self.client = client
        self.reason = reason
        self.count = count
        self.follow = follow
        self.interval = interval
    }

    public var label: String { "slowlog/latency of \(client.address) (\(reason))" }

    public func batches() -> AsyncStream<LogBatch> {
        stream { continuation in await run(continuation) }
    }

    private func run(_ continuation: AsyncStream<LogBatch>.Continuation) async {
        let status = LogSourceStatus.unavailable(reason: reason)
        let header = LogLine.note("log not shown: \(reason); showing SLOWLOG, LATENCY LATEST and COMMANDLOG instead", level: .warning)
        var seen = Set<String>()
        var first = true
        var failing = false
        repeat {
            let (entries, failed) = await entries()
            // A node that stays unreachable says so once, not every poll: its error text changes
            // ("retrying in N ms"), so it would pass the filter below and add a line per node every
            // few seconds, for ever (5,000 dead nodes: 1,000 lines a second).
            var lines = failed && failing ? [] : entries
            failing = failed
            // Entries already shown (same log, id and time) are not repeated when polling again.
            lines = lines.filter { seen.insert($0.raw).inserted }
            lines.sort { ($0.time ?? .distantPast) < ($1.time ?? .distantPast) }
            if first { lines.insert(header, at: 0) }
            if first || !lines.isEmpty { continuation.yield(LogBatch(lines: lines, status: status)) }
            first = false
            if follow { try? await Task.sleep(for: interval) }
        } while follow && !Task.isCancelled
    }

    /// This poll's lines; `failed` when the node could not be asked at all (then one note says why).
    private func entries() async -> (lines: [LogLine], failed: Bool) {
        let replies: [RESPValue]
        do {
            replies = try await client.send([
                ["SLOWLOG", "GET", String(count)], ["LATENCY", "LATEST"], ["COMMAND", "INFO", "COMMANDLOG"],
            ])
        } catch {
            return ([.note("cannot read SLOWLOG from \(client.address): \(sanitizedForDisplay(String(describing: error)))", level: .warning)], true)
        }
        return (await entries(replies), false)
    }

    private func entries(_ replies: [RESPValue]) async -> [LogLine] {
        // COMMAND INFO answers [nil] for a command the server does not have. Where COMMANDLOG
        // exists, SLOWLOG reads the same "slow" log, so only one of them is shown; a user without
        // +commandlog|get (the README's monitoring line, which redis 7.0 must accept) gets SLOWLOG.
        if let info = replies[2].array, let entry = info.first, entry != .null,
           let reply = try? await client.send([["COMMANDLOG", "GET", String(count), "slow"]]).first, reply.errorMessage == nil {
            return Self.slowlog(reply, name: "commandlog slow") + Self.latency(replies[1])
        }
        return Self.slowlog(replies[0], name: "slowlog") + Self.latency(replies[1])
    }

    /// SLOWLOG GET and COMMANDLOG GET share one entry shape:
    /// [id, unix time, duration µs, [argv...], client address, client name].
    static func slowlog(_ reply: RESPValue, name: String) -> [LogLine] {
        if let error = reply.errorMessage { return [.note("\(name): \(sanitizedForDisplay(error))", level: .warning)] }
        return (reply.array ?? []).compactMap { entry in
            guard let fields = entry.array, fields.count >= 4, let id = fields[0].int, let time = fields[1].int,
                  let micros = fields[2].int else { return nil }
            let command = (fields[3].array ?? []).prefix(8).compactMap(\.string).joined(separator: " ")
            let client = fields.count > 4 ? fields[4].string ?? "" : ""
            let millis = String(format: "%.1f", Double(micros) / 1000)
            let text = "\(name) #\(id): \(millis) ms  \(sanitizedForDisplay(command, limit: 160))" + (client.isEmpty ? "" : "  (\(sanitizedForDisplay(client)))")
            return .note(text, time: Date(timeIntervalSince1970: Double(time)))
        }
    }

    /// LATENCY LATEST: [[event, unix time, latest ms, max ms], ...]; empty unless
    /// latency-monitor-threshold is set, which the line then says.
    static func latency(_ reply: RESPValue) -> [LogLine] {
        if let error = reply.errorMessage { return [.note("latency: \(sanitizedForDisplay(error))", level: .warning)] }
        let events = reply.array ?? []
        if events.isEmpty { return [.note("latency: no spikes recorded (latency-monitor-threshold may be 0)")] }
        return events.compactMap { event in
            guard let fields = event.array, fields.count >= 4, let name = fields[0].string, let time = fields[1].int,
                  let latest = fields[2].int, let max = fields[3].int else { return nil }
            return .note("latency \(sanitizedForDisplay(name)): latest \(latest) ms, max \(max) ms", level: .warning,
                         time: Date(timeIntervalSince1970: Double(time)))
        }
    }
}
