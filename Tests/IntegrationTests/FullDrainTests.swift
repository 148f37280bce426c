import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// Draining a primary of every slot: the server turns the emptied primary into a replica of the
/// node that took its last slot, often before our SETSLOT NODE reaches it (which it then refuses).
/// The move worked, and the command must say so: exit 0, journaled as succeeded, with a note on
/// what became of the source. Keys are checked with the acked-write recorder.
@Suite(.serialized, .oneClusterAtATime) struct FullDrainTests {
    @Test func drainingAPrimaryCompletelyReportsSuccessAndItsDemotion() async throws {
        guard let lab = try await TestServers.lab(.redis, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-drain-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let journal = "\(state)/actions.jsonl"

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (before, _) = await poller.tick()
        let source = try #require(before.slotOwners[0].flatMap { before.node(id: $0) })
        let target = try #require(before.primaries.first { $0.id != source.id })
        let owned = (0..<hashSlotCount).filter { before.slotOwners[$0] == source.id }
        let writer = AckedWriter(seed: lab.seed, slots: stride(from: 0, to: owned.count, by: 10).map { owned[$0] }, keysPerSlot: 3)
        await writer.preload()

        let run = try await CLI.run(["migrate", "\(lab.seed)", "--from", "\(source.address)", "--to", "\(target.address)", "--count", "99999",
                                     "--yes", "--journal", journal], timeoutSeconds: 180)
        #expect(run.status == 0, "drain: \(run.output) \(run.errorOutput)")
        #expect(run.output.contains("moved \(owned.count) slots"), "\(run.output)")
        let note = "every slot of \(source.address) moved; with none left, the server made it a replica of \(target.address)"
        #expect(run.output.contains("note: \(note)"), "\(run.output)")

        let entries = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(ActionRecord.self, from: Data($0.utf8))
        }
        let last = try #require(entries.last { $0.action == "migrate" })
        #expect(last.outcome == .succeeded, "journal: \(last)")
        #expect(last.detail.contains(note), "journal: \(last.detail)")
        #expect(!entries.contains { $0.outcome == .failed }, "journal: \(entries)")

        let lost = await writer.verify()
        await writer.close()
        #expect(lost.isEmpty, "\(lost.count) keys not readable as acknowledged, e.g. \(lost.prefix(5))")

        let (after, _) = try await pollUntil(poller, seconds: 10, interval: .milliseconds(200)) { snapshot, _ in
            snapshot.disagreeingNodes.isEmpty && snapshot.node(id: source.id)?.primaryId == target.id
        }
        await poller.shutdown()
        #expect(after.openSlots.isEmpty, "open slots left: \(after.openSlots)")
        #expect(after.node(id: source.id)?.role == .replica, "the source: \(String(describing: after.node(id: source.id)))")
        #expect(after.slotsCovered == hashSlotCount)
    }
}
