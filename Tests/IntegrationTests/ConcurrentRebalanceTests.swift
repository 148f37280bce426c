import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// `rebalance` runs its moves concurrently (up to --parallel-moves): draining a primary to weight 0
/// sends its slots to every other primary at once, under a writer that records every acknowledged
/// write. Nothing acknowledged may be lost, no slot left open, and redis-cli must find the cluster clean.
@Suite(.serialized, .oneClusterAtATime) struct ConcurrentRebalanceTests {
    @Test func drainingAPrimaryWithMovesInParallelLosesNothing() async throws {
        guard let lab = try await TestServers.lab(.redis, primaries: 4, replicas: 0) else { return }
        defer { lab.stop() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-parallel-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let journal = "\(state)/actions.jsonl"

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (before, _) = await poller.tick()
        // Drain the owner of the last slot (never the seed, which owns slot 0).
        let drained = try #require(before.slotOwners[hashSlotCount - 1].flatMap { before.node(id: $0) })
        #expect(drained.address != lab.seed)
        let owned = (0..<hashSlotCount).filter { before.slotOwners[$0] == drained.id }
        // Keys in every 8th slot of the drained primary, and a few rewritten all through the moves.
        let sampled = stride(from: 0, to: owned.count, by: 8).map { owned[$0] }
        let bulk = AckedWriter(seed: lab.seed, slots: sampled, keysPerSlot: 20)
        await bulk.preload()
        let hot = AckedWriter(seeds: [lab.seed], keys: sampled.map { SlotKeys.key(slot: $0, index: 5000) })
        await hot.start(lanes: 3)
        #expect(await hot.waitForAcks(200))

        let run = try await CLI.run(["rebalance", "\(lab.seed)", "--weight", "\(drained.address)=0", "--parallel-moves", "3",
                                     "--batch", "10", "--yes", "--journal", journal], timeoutSeconds: 300)
        #expect(run.status == 0, "rebalance: \(run.output) \(run.errorOutput)")
        #expect(run.output.contains("up to 3 moves at once"), "\(run.output)")
        #expect(run.output.contains("all 3 moves done"), "\(run.output)")
        #expect(await hot.waitForAcks(200), "writer stalled after the moves")
        await hot.stop()

        // The journal shows the three moves running together: all started before any finished.
        let entries = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(ActionRecord.self, from: Data($0.utf8))
        }.filter { $0.action == "rebalance" }
        #expect(entries.map(\.outcome) == [.started, .started, .started, .succeeded, .succeeded, .succeeded], "journal: \(entries)")

        var lost: [AckedWriter.Lost] = []
        for writer in [bulk, hot] {
            lost += await writer.verify()
            await writer.close()
        }
        #expect(lost.isEmpty, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        #expect(await hot.stats.moved > 0, "the writer never met a moved slot")

        let (after, _) = try await pollUntil(poller, seconds: 15, interval: .milliseconds(200)) { snapshot, _ in
            snapshot.disagreeingNodes.isEmpty && snapshot.openSlots.isEmpty && snapshot.slotsCovered == hashSlotCount
        }
        await poller.shutdown()
        #expect(after.openSlots.isEmpty, "open slots left: \(after.openSlots)")
        #expect(!(0..<hashSlotCount).contains { after.slotOwners[$0] == drained.id })
        // Every other primary took a share.
        for primary in before.primaries where primary.id != drained.id {
            #expect(owned.contains { after.slotOwners[$0] == primary.id }, "\(primary.address) took none of the drained slots")
        }
        if let check = try await RedisCLI.check(lab.seed) {
            #expect(check.clean, "\(check)")
        }
    }
}
