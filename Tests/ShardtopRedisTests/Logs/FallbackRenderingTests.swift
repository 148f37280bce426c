import Foundation
import Testing
import ShardtopCore
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
