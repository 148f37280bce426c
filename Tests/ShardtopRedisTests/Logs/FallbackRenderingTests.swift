import Foundation
import Testing
import ShardtopCore
import ShardtopProcess
@testable import ShardtopRedis

@Suite struct FallbackRenderingTests {
    func bulk(_ text: String) -> RESPValue { .bulkString(Array(text.utf8)) }

    @Test func slowlogEntries() {
        let reply = RESPValue.array([
            .array([.integer(12), .integer(1_700_000_000), .integer(15_250), .array([bulk("SET"), bulk("k\u{1b}[2J"), bulk("v")]),
                    bulk("127.0.0.1:5000"), bulk("")]),
            .array([.integer(1)]),  // malformed: skipped, not a crash
        ])
        let lines = FallbackLogSource.slowlog(reply, name: "slowlog")
        #expect(lines.count == 1)
        #expect(lines[0].message.hasPrefix("slowlog #12: 15.2 ms  SET k"))
        #expect(!lines[0].message.contains("\u{1b}"))
        #expect(lines[0].time == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(FallbackLogSource.slowlog(.error("NOPERM no"), name: "slowlog").first?.level == .warning)
    }

    @Test func latencyEntries() {
        #expect(FallbackLogSource.latency(.array([])).first?.message == "latency: no spikes recorded (latency-monitor-threshold may be 0)")
        let lines = FallbackLogSource.latency(.array([.array([bulk("command"), .integer(1_700_000_000), .integer(120), .integer(300)])]))
        #expect(lines.first?.message == "latency command: latest 120 ms, max 300 ms")
    }
}

/// A node that cannot be reached says so once while it stays unreachable: its error text changes
/// with every poll ("retrying in N ms"), and with 5,000 dead nodes one line each per poll grew the
/// dashboard's memory by a thousand lines a second.
@Suite struct FallbackUnreachableTests {
    @Test func anUnreachableNodeIsReportedOnceNotEveryPoll() async throws {
        // A port picked free and not listened on: every connect is refused at once.
        let port = try #require(try FreePort.pick(count: 1).first)
        let client = NodeClient(address: NodeAddress(host: "127.0.0.1", port: port),
                                options: ConnectionOptions(connectTimeout: .seconds(2), requestTimeout: .seconds(2)))
        let source = FallbackLogSource(client: client, reason: "test", follow: true, interval: .milliseconds(20))
        let collector = Task { () -> (notes: Int, batches: Int) in
            var notes = 0
            var batches = 0
            for await batch in source.batches() {
                batches += 1
                notes += batch.lines.filter { $0.message.hasPrefix("cannot read SLOWLOG") }.count
            }
            return (notes, batches)
        }
        // About 20 polls: the first says why, the rest (refused, then backing off with a countdown) say nothing new.
        try await Task.sleep(for: .milliseconds(400))
        collector.cancel()
        let seen = await collector.value
        #expect(seen.notes == 1, "\(seen.notes) notes in \(seen.batches) batches")
        await client.close()
    }
}
