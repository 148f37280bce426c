import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// After a move, other nodes learn the new owner by gossip. `migrate` returns as soon as the move
/// is done; the commands that judge the cluster afterwards (`check`, the next action's refusal
/// check) wait out that in-flight disagreement instead of reporting it.
@Suite(.serialized, .oneClusterAtATime) struct GossipSettlingTests {
    @Test(arguments: Engine.allCases)
    func backToBackMigrationsAndACheckRightAfterDoNotTripOnGossip(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-gossip-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let primaries = lab.nodes.filter(\.isPrimary).sorted { $0.address < $1.address }
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        let owner = try #require(snapshot.slotOwners[0].flatMap { snapshot.node(id: $0) })
        let other = try #require(primaries.first { $0.address != owner.address })

        // No pause between the commands: each starts while the last one's news is still spreading.
        for (index, target) in [other.address, owner.address, other.address].enumerated() {
            let migrate = try await CLI.run(["migrate", "\(lab.seed)", "--slots", "0-99", "--to", "\(target)", "--yes", "--journal", "\(state)/actions.jsonl"])
            #expect(migrate.status == 0, "migrate \(index + 1) to \(target): \(migrate.output) \(migrate.errorOutput)")
            let check = try await CLI.run(["check", "\(lab.seed)"])
            #expect(check.status == 0, "check right after migrate \(index + 1): \(check.output)")
        }
    }

    /// One primary is told a wrong owner for a slot, with a config epoch lower than the real
    /// owner's: the cluster corrects it at the real owner's next ping (within a second or so).
    /// `check` right after waits that out and passes; the disagreement was real, and transient.
    @Test(arguments: Engine.allCases)
    func checkWaitsOutAStaleViewThatGossipCorrects(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        defer { Task { await poller.shutdown() } }
        let (snapshot, _) = await poller.tick()
        let primaries = snapshot.primaries.sorted { $0.configEpoch > $1.configEpoch }
        try #require(primaries.count == 3)
        let (owner, wrong, stale) = (primaries[0], primaries[1], primaries[2])
        let slot = try #require(owner.slots.first?.start)

        let connection = try await RedisConnection.connect(to: stale.address, options: TestServers.fastOptions)
        defer { connection.close() }
        let reply = try await connection.send([["CLUSTER", "SETSLOT", "\(slot)", "NODE", wrong.id]], timeout: .seconds(5))
        #expect(reply == [.simpleString("OK")], "\(reply)")
        let right = await poller.tick().snapshot
        print("[\(engine)] right after: disagreeing \(right.disagreeingNodes.map { $0.prefix(8) }) (stale \(stale.id.prefix(8)))")

        let check = try await CLI.run(["check", "\(lab.seed)"])
        #expect(check.status == 0, "\(check.output)")
        let settled = await poller.settled(right)
        #expect(settled.disagreeingNodes.isEmpty)
        #expect(settled.slotOwners[slot] == owner.id)
    }
}
