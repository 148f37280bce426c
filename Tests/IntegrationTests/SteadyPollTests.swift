import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// Nodes on a connection that already told us its server section are polled together: every
/// request written back to back, each reply read on the event loop as it lands (issue 12:
/// `SteadyPoll`). What a tick reports must be what the node-by-node poll reports, and a node that
/// hangs or drops its connection must cost the others nothing and come back the ordinary way.
@Suite(.serialized, .oneClusterAtATime) struct SteadyPollTests {
    static let patient = ConnectionOptions(connectTimeout: .seconds(5), requestTimeout: .seconds(5))

    @Test(arguments: Engine.allCases)
    func steadyTicksPollEveryNodeTogetherAndReportTheSame(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: Self.patient, topologyEveryTicks: ClusterPoller.periodicTopologyTicks)
        defer { Task { await poller.shutdown() } }
        let (first, _) = try await pollUntil(poller, seconds: 20, interval: .milliseconds(100)) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil } && snapshot.disagreeingNodes.isEmpty
        }
        try #require(first.nodes.count == 6)
        let before = await poller.work

        // Quiet ticks, then one that asks every node CLUSTER NODES (the full request, same path).
        var last = first
        for _ in 0..<3 { last = await poller.tick().snapshot }
        let full = await poller.tick(fullTopology: true).snapshot
        let after = await poller.work
        // (CONFIG GET save, which goes the ordinary way, falls due only every five minutes.)
        #expect(after.steadyPolls - before.steadyPolls == 4 * 6, "\(before.steadyPolls) -> \(after.steadyPolls)")
        #expect(after.serverSectionAsks == before.serverSectionAsks)
        for snapshot in [last, full] {
            #expect(snapshot.nodes.map(\.id) == first.nodes.map(\.id))
            #expect(snapshot.slotOwners == first.slotOwners)
            #expect(snapshot.shards == first.shards)
            #expect(snapshot.nodes.allSatisfy { $0.error == nil && $0.server == engine.rawValue && $0.version == first.nodes[0].version })
            #expect(snapshot.nodes.allSatisfy { ($0.roundTripMillis ?? -1) >= 0 })
        }
        let seenBefore = Dictionary(uniqueKeysWithValues: first.nodes.map { ($0.id, $0.lastSeen ?? 0) })
        #expect(full.nodes.allSatisfy { ($0.lastSeen ?? 0) > seenBefore[$0.id, default: .infinity] })
    }

    @Test(arguments: Engine.allCases)
    func aHungNodeOnTheSteadyPathTimesOutAloneAndComesBack(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions, topologyEveryTicks: ClusterPoller.periodicTopologyTicks)
        defer { Task { await poller.shutdown() } }
        // Deadlines of 500 ms can miss on a loaded machine: settle until every node answers twice in a row.
        var answered = 0
        _ = try await pollUntil(poller, seconds: 30, interval: .milliseconds(100)) { snapshot, _ in
            answered = snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil } ? answered + 1 : 0
            return answered >= 2
        }
        try #require(answered >= 2)
        let steadyBefore = await poller.work.steadyPolls

        let victim = lab.nodes[2]
        lab.pause(victim.address)
        let (hung, _) = await poller.tick()
        #expect(await poller.work.steadyPolls > steadyBefore, "the tick did not take the steady path")
        #expect(hung.nodes.first { $0.address == victim.address }?.error != nil)
        #expect(hung.nodes.filter { $0.address != victim.address }.allSatisfy { $0.error == nil })
        lab.resume(victim.address)

        // Its connection was dropped: the next polls reconnect, ask the server section again, and
        // the node is back; then it is polled with the others again.
        let (back, _) = try await pollUntil(poller, seconds: 20, interval: .milliseconds(100)) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil }
        }
        #expect(back.nodes.allSatisfy { $0.error == nil })
        let steadyBack = await poller.work.steadyPolls
        _ = await poller.tick()
        #expect(await poller.work.steadyPolls - steadyBack == 6)
    }
}
