import Foundation
import NIOCore
import Testing
import ShardtopCore
import ShardtopRedis

/// A fake node sends hostile replies; the poller reports a clear error for it while the real
/// cluster beside it is polled normally.
@Suite(.serialized, .oneClusterAtATime) struct HostileNodeTests {
    static let payloads: [(name: String, bytes: [UInt8], expect: String)] = [
        ("huge bulk length", Array("$9223372036854775807\r\n".utf8), "exceeds"),
        ("huge array", Array("*2147483647\r\n".utf8), "exceeds"),
        ("integer overflow", Array(":99999999999999999999999\r\n".utf8), "overflow"),
        ("deep nesting", Array(String(repeating: "*1\r\n", count: 5000).utf8), "nesting"),
        ("unknown type byte", Array("A\r\n".utf8), "type"),
        ("negative length", Array("$-7\r\n".utf8), "length"),
    ]

    /// One real cluster serves every payload: what is under test is the fake node, not the cluster.
    @Test func hostileRepliesGiveClearErrorsAndSpareTheRealCluster() async throws {
        guard let lab = try await TestServers.lab(.redis, replicas: 0) else { return }
        defer { lab.stop() }
        for payload in Self.payloads {
            let fake = try await HostileNode.start(.reply(payload.bytes))
            defer { fake.stop() }
            let poller = ClusterPoller(seeds: [fake.address, lab.seed], options: TestServers.fastOptions)
            let (snapshot, _) = await poller.tick()
            await poller.shutdown()

            let bad = try #require(snapshot.nodes.first { $0.address == fake.address }, "\(payload.name): fake node missing")
            #expect(bad.health == .unreachable)
            let error = try #require(bad.error)
            #expect(error.localizedCaseInsensitiveContains(payload.expect), "\(payload.name): \(error)")
            #expect(!error.contains("\r") && !error.contains("\u{1B}"))
            let real = snapshot.nodes.filter { $0.address != fake.address }
            #expect(real.count == 3)
            #expect(real.allSatisfy { $0.health == .ok && $0.lastSeen != nil }, "\(payload.name) disturbed the real nodes")
        }
    }

    @Test func escapeSequencesFromANodeAreNeutralised() async throws {
        // A syntactically valid reply whose text carries terminal escapes and bogus topology.
        let text = "\u{1B}]0;pwned\u{07} \u{1B}[2J garbage line\n"
        let bytes = Array("$\(text.utf8.count)\r\n\(text)\r\n".utf8)
        let fake = try await HostileNode.start(.reply(bytes))
        defer { fake.stop() }
        let poller = ClusterPoller(seeds: [fake.address], options: TestServers.fastOptions)
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        let error = try #require(snapshot.nodes.first?.error)
        #expect(!error.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func silentNodeTimesOutWithoutDelayingOthers() async throws {
        guard let lab = try await TestServers.lab(.redis, replicas: 0) else { return }
        defer { lab.stop() }
        let fake = try await HostileNode.start(.silent)
        defer { fake.stop() }
        let poller = ClusterPoller(seeds: [lab.seed, fake.address], options: TestServers.fastOptions)
        let started = ContinuousClock.now
        let (snapshot, _) = await poller.tick()
        let elapsed = ContinuousClock.now - started
        await poller.shutdown()
        #expect(snapshot.nodes.first { $0.address == fake.address }?.error?.contains("no reply within 500 ms") == true)
        #expect(snapshot.nodes.filter { $0.health == .ok }.count == 3)
        // Bounded by the one deadline (connect handshake + poll), not by the hung node's silence.
        #expect(elapsed < .seconds(3))
    }

    @Test func connectionSurvivesNothingButReportsEveryRequest() async throws {
        let fake = try await HostileNode.start(.reply(Array("$9223372036854775807\r\n".utf8)))
        defer { fake.stop() }
        let client = NodeClient(address: fake.address, options: TestServers.fastOptions)
        for _ in 0..<3 {
            await #expect(throws: RedisClientError.self) { try await client.send([["PING"]]) }
        }
        await client.close()
    }
}
