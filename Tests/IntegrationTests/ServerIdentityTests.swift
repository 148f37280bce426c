import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// INFO's server section (name, version, uptime) is asked once per connection and carried on that
/// connection's later polls (issue 12: `ServerIdentity`). A connection the node closed is replaced
/// and asked again, so a restarted, perhaps upgraded, node never shows its old version.
@Suite(.serialized, .oneClusterAtATime) struct ServerIdentityTests {
    static let patient = ConnectionOptions(connectTimeout: .seconds(5), requestTimeout: .seconds(5))

    @Test(arguments: Engine.allCases)
    func askedOncePerConnectionAndAgainOnANewOne(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: Self.patient, topologyEveryTicks: ClusterPoller.periodicTopologyTicks)
        defer { Task { await poller.shutdown() } }
        let (first, _) = try await pollUntil(poller, seconds: 20, interval: .milliseconds(100)) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil }
        }
        try #require(first.nodes.count == 6)
        let version = try #require(first.nodes.first?.version)
        #expect(!version.isEmpty)
        let asked = await poller.work.serverSectionAsks

        // Steady ticks leave the section out, and the snapshot still names every node's server.
        var last = first
        for _ in 0..<3 { last = await poller.tick().snapshot }
        #expect(await poller.work.serverSectionAsks == asked, "a steady connection was asked the server section again")
        #expect(last.nodes.allSatisfy { $0.error == nil && $0.server == engine.rawValue && $0.version == version },
                "\(last.nodes.map { "\($0.address) \($0.server ?? "-") \($0.version ?? "-")" })")

        // The seed closes every connection but the killer's: ours is replaced and asked again.
        let killer = try await RedisConnection.connect(to: lab.seed, options: Self.patient)
        defer { killer.close() }
        _ = try await killer.send([["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]])
        // The close reaches the poller's event loop on its own time: a tick may still find the old
        // connection and fail once; a bounded number of ticks must see the replacement asked.
        let (after, _) = try await pollUntil(poller, seconds: 10, interval: .milliseconds(100)) { snapshot, _ in
            snapshot.nodes.allSatisfy { $0.error == nil }
        }
        #expect(await poller.work.serverSectionAsks > asked)
        let seed = try #require(after.nodes.first { $0.address == lab.seed })
        #expect(seed.server == engine.rawValue && seed.version == version)
    }
}
