import Foundation
import NIOCore
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// Real redis-server 7.0.15 and valkey-server 9.1.2 clusters on free loopback ports.
/// Serialized: each test owns a whole cluster, and timing-sensitive failure tests must not
/// compete for the machine's two cores with other clusters.
@Suite(.serialized, .oneClusterAtATime) struct LiveClusterTests {
    @Test(arguments: Engine.allCases)
    func snapshotMatchesWhatTheNodesReport(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        let (snapshot, _) = try await pollUntil(poller, seconds: 20) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.health == .ok && $0.error == nil }
        }
        await poller.shutdown()

        #expect(snapshot.state == "ok")
        #expect(snapshot.slotsCovered == hashSlotCount)
        #expect(snapshot.nodes.count == 6)
        #expect(Set(snapshot.nodes.map(\.id)) == Set(lab.nodes.map(\.id)))
        let expectedRanges = [SlotRange(0, 5461), SlotRange(5462, 10922), SlotRange(10923, 16383)]
        for (index, labNode) in lab.nodes.enumerated() {
            let node = try #require(snapshot.node(id: labNode.id))
            #expect(node.address == labNode.address)
            #expect(node.health == .ok)
            #expect(node.server == engine.rawValue)
            if index < 3 {
                #expect(node.role == .primary)
                #expect(node.primaryId == nil)
                #expect(node.slots == [expectedRanges[index]])
            } else {
                #expect(node.role == .replica)
                #expect(node.primaryId == lab.nodes[index - 3].id)
                #expect(node.slots.isEmpty)
                #expect(node.primaryLinkStatus == "up")
                #expect(node.lagBytes != nil)
            }
        }
        // The same facts straight from a node, without the assembler in between.
        let connection = try await RedisConnection.connect(to: lab.nodes[4].address, options: TestServers.fastOptions)
        defer { connection.close() }
        let text = try #require(try await connection.send([["CLUSTER", "NODES"]]).first?.string)
        let direct = try ClusterNodesParser.parse(text)
        for entry in direct {
            let node = try #require(snapshot.node(id: entry.id))
            #expect(node.role == entry.role)
            #expect(node.primaryId == (entry.role == .replica ? entry.primaryID : nil))
            #expect(node.slots == entry.slots.sorted())
        }
        #expect(snapshot.shards.map(\.replicaIds.count) == [1, 1, 1])

        // RESP3 (HELLO 3) sees the same cluster: INFO and CLUSTER NODES arrive as verbatim strings.
        var resp3 = TestServers.fastOptions
        resp3.protocolVersion = 3
        let resp3Poller = ClusterPoller(seeds: [lab.seed], options: resp3)
        // Polled until every node answered, within a bound: one tick on a busy machine can miss a
        // 500 ms deadline, which is the poller working as designed, not a wrong snapshot.
        let (viaResp3, _) = try await pollUntil(resp3Poller, seconds: 20) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.health == .ok && $0.error == nil }
        }
        await resp3Poller.shutdown()
        #expect(viaResp3.nodes.map(\.id) == snapshot.nodes.map(\.id))
        #expect(viaResp3.nodes.map(\.slots) == snapshot.nodes.map(\.slots))
        #expect(viaResp3.nodes.allSatisfy { $0.health == .ok && $0.server == engine.rawValue })
    }

    @Test(arguments: Engine.allCases)
    func stoppedPrimaryIsUnreachableWithinTwoTicksThenFailsOver(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        // The dashboard's poller, which asks CLUSTER NODES only every few ticks when nothing moved:
        // "unreachable" comes from our own request failing, so it must hold there as well.
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions, topologyEveryTicks: ClusterPoller.periodicTopologyTicks)
        defer { Task { await poller.shutdown() } }
        _ = await poller.tick()

        let victim = lab.nodes[1]
        let replica = lab.nodes[4]
        lab.pause(victim.address)
        defer { lab.resume(victim.address) }

        var events: [ClusterEvent] = []
        var unreachableAtTick: Int?
        var othersSeen: [String: Double] = [:]
        for tick in 1...2 {
            let (snapshot, new) = await poller.tick()
            events += new
            if snapshot.node(id: victim.id)?.health == .unreachable, unreachableAtTick == nil { unreachableAtTick = tick }
            // Every other node must keep refreshing while the victim hangs.
            for node in snapshot.nodes where node.id != victim.id {
                let seen = try #require(node.lastSeen)
                if let before = othersSeen[node.id] { #expect(seen > before, "\(node.address) stopped refreshing") }
                othersSeen[node.id] = seen
            }
        }
        #expect(unreachableAtTick != nil, "paused primary not shown unreachable within two ticks")
        #expect(events.contains { $0.kind == .nodeUnreachable && $0.node == victim.id })

        // Then the cluster's own verdict: FAIL, and the replica's promotion, as events.
        let (final, allEvents) = try await pollUntil(poller, seconds: 30) { snapshot, _ in
            snapshot.node(id: replica.id)?.role == .primary && snapshot.node(id: victim.id)?.flags.contains("fail") == true
        }
        events += allEvents
        #expect(final.node(id: replica.id)?.role == .primary)
        #expect(final.node(id: victim.id)?.health == .fail)
        #expect(events.contains { $0.kind == .healthChanged && $0.node == victim.id && $0.message.contains("fail") })
        #expect(events.contains { $0.kind == .roleChanged && $0.node == replica.id && $0.message.contains("promoted") })
        #expect(final.slotsCovered == hashSlotCount)
    }

    @Test(arguments: Engine.allCases)
    func handOpenedSlotAppearsInSnapshotAndCheck(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let source = lab.nodes[0]
        let target = lab.nodes[1]
        let slot = 100
        let targetConnection = try await RedisConnection.connect(to: target.address, options: TestServers.fastOptions)
        let sourceConnection = try await RedisConnection.connect(to: source.address, options: TestServers.fastOptions)
        defer { targetConnection.close(); sourceConnection.close() }
        #expect(try await targetConnection.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", source.id]]).first == .simpleString("OK"))
        #expect(try await sourceConnection.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", target.id]]).first == .simpleString("OK"))

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        #expect(snapshot.openSlots == [
            OpenSlot(slot: slot, state: .importing, node: target.id, peer: source.id),
            OpenSlot(slot: slot, state: .migrating, node: source.id, peer: target.id),
        ])
        let findings = ClusterCheck.findings(snapshot)
        #expect(findings.filter { $0.code == "open-slot" }.count == 2)
        #expect(findings.contains { $0.severity == .error })

        let result = try await CLI.run(["check", "\(lab.seed)"])
        #expect(result.status == 1, "check should exit 1 on an open slot; printed: \(result.output)")
        #expect(result.output.contains("[open-slot] slot 100 is open"))

        // Close it again so the cluster ends clean.
        _ = try await sourceConnection.send([["CLUSTER", "SETSLOT", "\(slot)", "STABLE"]])
        _ = try await targetConnection.send([["CLUSTER", "SETSLOT", "\(slot)", "STABLE"]])
    }

    @Test(arguments: Engine.allCases)
    func stoppedReplicaShowsGrowingLagBytes(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1, nodeTimeoutMillis: 60_000) else { return }
        defer { lab.stop() }
        let primary = lab.nodes[0]
        let replica = lab.nodes[3]
        let writer = try await RedisConnection.connect(to: primary.address, options: TestServers.fastOptions)
        defer { writer.close() }
        // A hash tag whose slot the first primary owns, so every write lands on it.
        let tag = (0..<10_000).map { "t\($0)" }.first { HashSlot.of("{\($0)}") <= 5461 }!
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        defer { Task { await poller.shutdown() } }

        lab.pause(replica.address)
        defer { lab.resume(replica.address) }
        var lags: [Int64] = []
        let value = String(repeating: "x", count: 2000)
        for round in 0..<4 {
            let commands = (0..<200).map { ["SET", "{\(tag)}:\(round):\($0)", value] }
            let replies = try await writer.send(commands, timeout: .seconds(5))
            #expect(replies.allSatisfy { $0 == .simpleString("OK") })
            let (snapshot, _) = await poller.tick()
            let node = try #require(snapshot.node(id: replica.id))
            #expect(node.health == .unreachable)
            lags.append(node.lagBytes ?? -1)
        }
        #expect(lags.allSatisfy { $0 > 0 }, "lag bytes: \(lags)")
        #expect(zip(lags, lags.dropFirst()).allSatisfy { $0 < $1 }, "lag bytes should grow: \(lags)")
        #expect((lags.last ?? 0) >= 4 * 200 * 2000)
    }
}
