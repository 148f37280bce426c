import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// The poller asks CLUSTER NODES less often (issue 12): every tick sends CLUSTER INFO and INFO,
/// CLUSTER NODES goes to a node only on a new connection, when those replies moved, or when the
/// node is due (every `topologyEveryTicks`, staggered). These tests count what was sent and hold
/// the staleness bound on real clusters: what no counter shows (an open slot, a slot handed over
/// by hand) is in the snapshot within k ticks of every node knowing it.
@Suite(.serialized, .oneClusterAtATime) struct TopologyRefreshTests {
    static let k = ClusterPoller.periodicTopologyTicks
    /// A reply missed on a busy machine counts as a failure, after which the node is asked in
    /// full again; patient deadlines keep the counts below about the rule, not the machine.
    static let patient = ConnectionOptions(connectTimeout: .seconds(5), requestTimeout: .seconds(5))

    /// Polls until all six lab nodes answer and agree (and `also` holds): where these tests start.
    private func settled(_ poller: ClusterPoller, also: @escaping (ClusterSnapshot) -> Bool = { _ in true }) async throws -> ClusterSnapshot {
        try await pollUntil(poller, seconds: 20, interval: .milliseconds(100)) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil } && snapshot.disagreeingNodes.isEmpty && also(snapshot)
        }.0
    }

    @Test(arguments: Engine.allCases)
    func aQuietTickSendsNoClusterNodes(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        // A k so large that no node falls due: only a moved signature or a new connection asks.
        let poller = ClusterPoller(seeds: [lab.seed], options: Self.patient, topologyEveryTicks: 1_000)
        defer { Task { await poller.shutdown() } }
        let first = try await settled(poller)
        let before = await poller.work
        var last = first
        for _ in 0..<3 { last = await poller.tick().snapshot }
        let after = await poller.work
        #expect(after.topologyAsks.sent == before.topologyAsks.sent, "quiet ticks sent CLUSTER NODES: \(before.topologyAsks) -> \(after.topologyAsks)")
        #expect(after.topologyAsks.skipped - before.topologyAsks.skipped == 3 * 6, "\(after.topologyAsks)")
        #expect(after.topologyParses == before.topologyParses)
        // The nodes not asked keep their last reading: the same cluster, every node still seen fresh.
        #expect(last.nodes.map(\.id) == first.nodes.map(\.id))
        #expect(last.slotOwners == first.slotOwners)
        #expect(last.shards == first.shards)
        let seenBefore = Dictionary(uniqueKeysWithValues: first.nodes.map { ($0.id, $0.lastSeen ?? 0) })
        #expect(last.nodes.allSatisfy { $0.health == .ok && $0.error == nil && ($0.lastSeen ?? 0) > seenBefore[$0.id, default: .infinity] })
        #expect(last.disagreeingNodes.isEmpty)
    }

    /// Asked every tick, a settled cluster's CLUSTER NODES differs only in its gossip timestamps:
    /// such a reply is recognised, not parsed again, and the views are reused (ParsedTopology).
    @Test(arguments: Engine.allCases)
    func aReplyThatMovedOnlyItsTimestampsIsNotReadAgain(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: Self.patient, topologyEveryTicks: 1)
        defer { Task { await poller.shutdown() } }
        let first = try await settled(poller) { snapshot in snapshot.nodes.allSatisfy { $0.health == .ok } }
        let connection = try await RedisConnection.connect(to: lab.seed, options: Self.patient)
        defer { connection.close() }
        let textBefore = try await connection.send([["CLUSTER", "NODES"]]).first?.string
        let before = await poller.work
        var last = first
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(700))
            last = await poller.tick().snapshot
        }
        let after = await poller.work
        let textAfter = try await connection.send([["CLUSTER", "NODES"]]).first?.string
        // The text did move (pong times), so this is not the byte-identical case.
        #expect(textBefore != nil && textBefore != textAfter)
        // A busy machine may let one link flap; the rest must have been recognised.
        #expect(after.topologyParses - before.topologyParses <= 1, "\(before) -> \(after)")
        #expect(after.topologyParsesSkipped - before.topologyParsesSkipped >= 3 * 6 - 1, "\(before) -> \(after)")
        #expect(after.viewReadingsSkipped - before.viewReadingsSkipped >= 2, "\(before) -> \(after)")
        #expect(last.nodes.map(\.id) == first.nodes.map(\.id))
        #expect(last.slotOwners == first.slotOwners)
        #expect(last.shards == first.shards)
        #expect(last.nodes.allSatisfy { $0.health == .ok })
    }

    @Test(arguments: Engine.allCases)
    func everyNodeIsAskedOnceInKTicksStaggered(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: Self.patient, topologyEveryTicks: Self.k)
        defer { Task { await poller.shutdown() } }
        _ = await poller.tick()
        let first = await poller.work
        #expect(first.topologyAsks.inPoll == 6, "\(first.topologyAsks)")
        var perTick: [Int] = []
        var previous = first.topologyAsks
        for _ in 0..<Self.k {
            _ = await poller.tick()
            let now = await poller.work.topologyAsks
            // Counted without second trips: those follow a moved signature, which a settling lab may still show.
            perTick.append(now.inPoll - previous.inPoll)
            previous = now
        }
        #expect(perTick.reduce(0, +) == 6, "each node due once in \(Self.k) ticks: \(perTick)")
        #expect(perTick.allSatisfy { $0 <= (6 + Self.k - 1) / Self.k }, "not staggered: \(perTick)")
    }

    /// An open slot moves no counter in CLUSTER INFO: the periodic ask alone must bring it in.
    @Test(arguments: Engine.allCases)
    func handOpenedSlotShowsWithinKTicks(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let source = lab.nodes[0]
        let target = lab.nodes[1]
        let poller = ClusterPoller(seeds: [lab.seed], options: Self.patient, topologyEveryTicks: Self.k)
        defer { Task { await poller.shutdown() } }
        _ = await poller.tick()
        _ = await poller.tick()

        let connection = try await RedisConnection.connect(to: target.address, options: Self.patient)
        defer { connection.close() }
        #expect(try await connection.send([["CLUSTER", "SETSLOT", "100", "IMPORTING", source.id]]).first == .simpleString("OK"))
        let shownAt = await ticks(poller, upTo: Self.k) { $0.openSlots.contains { $0.slot == 100 && $0.node == target.id } }
        #expect(shownAt != nil, "open slot not in the snapshot within \(Self.k) ticks")
        _ = try await connection.send([["CLUSTER", "SETSLOT", "100", "STABLE"]])
        let closedAt = await ticks(poller, upTo: Self.k) { $0.openSlots.isEmpty }
        #expect(closedAt != nil, "closed slot still open in the snapshot after \(Self.k) ticks")
    }

    /// A slot handed over by hand (SETSLOT NODE, no keys): once every node's own CLUSTER NODES
    /// names the new owner, the snapshot does within k ticks.
    @Test(arguments: Engine.allCases)
    func handMovedSlotShowsWithinKTicksOfGossip(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let source = lab.nodes[0]
        let target = lab.nodes[1]
        let slot = 100
        let poller = ClusterPoller(seeds: [lab.seed], options: Self.patient, topologyEveryTicks: Self.k)
        defer { Task { await poller.shutdown() } }
        let (before, _) = try await pollUntil(poller, seconds: 20, interval: .milliseconds(100)) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.slotOwners[slot] == source.id && snapshot.disagreeingNodes.isEmpty
        }
        #expect(before.slotOwners[slot] == source.id)

        let onTarget = try await RedisConnection.connect(to: target.address, options: Self.patient)
        let onSource = try await RedisConnection.connect(to: source.address, options: Self.patient)
        defer { onTarget.close(); onSource.close() }
        #expect(try await onTarget.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", source.id]]).first == .simpleString("OK"))
        #expect(try await onSource.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", target.id]]).first == .simpleString("OK"))
        #expect(try await onTarget.send([["CLUSTER", "SETSLOT", "\(slot)", "NODE", target.id]]).first == .simpleString("OK"))
        #expect(try await onSource.send([["CLUSTER", "SETSLOT", "\(slot)", "NODE", target.id]]).first == .simpleString("OK"))

        // Gossip first, asked of each node directly (not through the poller), with a bound.
        try await waitForEveryNode(lab, seconds: 30) { topology in
            topology.contains { $0.id == target.id && $0.slots.contains { $0.contains(slot) } }
                && !topology.contains { $0.id == source.id && $0.slots.contains { $0.contains(slot) } }
        }
        let shownAt = await ticks(poller, upTo: Self.k) { $0.slotOwners[slot] == target.id && $0.disagreeingNodes.isEmpty }
        #expect(shownAt != nil, "slot \(slot) not shown at its new owner within \(Self.k) ticks of every node knowing it")
    }

    /// Ticks until `condition` holds; the tick (1-based) it first held on, or nil after `upTo`.
    private func ticks(_ poller: ClusterPoller, upTo limit: Int, _ condition: (ClusterSnapshot) -> Bool) async -> Int? {
        for tick in 1...limit where condition(await poller.tick().snapshot) { return tick }
        return nil
    }

    private func waitForEveryNode(_ lab: LabCluster, seconds: Double, _ condition: ([TopologyEntry]) -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        for node in lab.nodes {
            let connection = try await RedisConnection.connect(to: node.address, options: Self.patient)
            defer { connection.close() }
            while true {
                let reply = try await connection.send([["CLUSTER", "NODES"]])
                if let text = reply.first?.string, let topology = try? ClusterNodesParser.parse(text), condition(topology) { break }
                if ContinuousClock.now > deadline { Issue.record("\(node.address) never learned the change"); return }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
