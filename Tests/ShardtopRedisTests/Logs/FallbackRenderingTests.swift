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
        let notes = NoteCount()
        let collector = Task {
            for await batch in source.batches() {
                notes.add(batch.lines.filter { $0.message.hasPrefix("cannot read SLOWLOG") }.count)
            }
        }
        // The first poll says why (waited for: a busy machine may take a while to run it); then
        // about 20 more polls (refused, then backing off with a countdown) must say nothing new.
        let deadline = ContinuousClock.now + .seconds(20)
        while notes.value == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(400))
        collector.cancel()
        await collector.value
        #expect(notes.value == 1, "\(notes.value) notes")
        await client.close()
    }
}

/// Counted from the collecting task, read from the test's.
private final class NoteCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add(_ n: Int) { lock.withLock { count += n } }
}
