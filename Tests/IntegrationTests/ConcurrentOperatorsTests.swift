import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// Two operators at once: two real `shardtop migrate` processes started together on the same
/// slots toward different targets. One goes on, the other is refused with what it saw; no key is
/// lost and nothing is left open. Repeated, since a race that loses once in twenty is still a race.
@Suite(.serialized, .oneClusterAtATime) struct ConcurrentOperatorsTests {
    @Test func twoMigrationsOfTheSameSlotsStartedTogetherNeverInterleave() async throws {
        guard let lab = try await TestServers.lab(.redis, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let slots = Array(100..<140)
        // Enough keys, moved in small batches one slot at a time, that a migration lasts well over a
        // second: both processes then start while the other is still deciding or running.
        let keys = AckedWriter(seed: lab.seed, slots: slots, keysPerSlot: 60)
        await keys.preload()
        let journal = NSTemporaryDirectory() + "shardtop-race-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: journal) }

        var owner = lab.nodes[0]
        var refusals: [String] = []
        var sequential = 0
        let rounds = 20
        for round in 1...rounds {
            let others = lab.nodes.filter { $0.id != owner.id }
            let runs = others.map { target in
                ["migrate", "--slots", "100-139", "--to", "\(target.address)", "--yes", "--path", "legacy",
                 "--batch", "3", "--slots-per-round", "1", "--journal", journal, "\(lab.seed)"]
            }
            let journalBefore = (try? String(contentsOfFile: journal, encoding: .utf8))?.count ?? 0
            async let first = CLI.run(runs[0], timeoutSeconds: 60)
            async let second = CLI.run(runs[1], timeoutSeconds: 60)
            let results = try await [first, second]
            let succeeded = results.indices.filter { results[$0].status == 0 }
            #expect(succeeded.count >= 1, "round \(round): neither moved: \(results.map { "exit \($0.status): \($0.errorOutput)" })")
            for result in results where result.status != 0 {
                #expect(result.errorOutput.contains("refus") || result.errorOutput.contains("busy"), "round \(round): \(result.errorOutput)")
                #expect(result.errorOutput.split(separator: "\n").count <= 2, "round \(round): \(result.errorOutput)")
                refusals.append(String(result.errorOutput.split(separator: "\n").last ?? ""))
            }
            if succeeded.count == 2 {
                // On a starved machine one process can start after the other has finished: then it
                // planned from the new owner, which is a second migration, not a race. The journal
                // must show the two did not overlap.
                let text = String(((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").dropFirst(journalBefore))
                let windows = try others.map { target in try Self.window(in: text, target: target.address) }
                #expect(windows[0].end <= windows[1].start || windows[1].end <= windows[0].start, "round \(round): both ran at once: \(windows)")
                sequential += 1
            }
            let snapshot = try await Migration.settledSnapshot(lab)
            #expect(snapshot.openSlots.isEmpty, "round \(round): left open \(snapshot.openSlots)")
            if succeeded.count == 1, let winner = succeeded.first {
                #expect(slots.allSatisfy { snapshot.slotOwners[$0] == others[winner].id }, "round \(round)")
            }
            let current = try #require(lab.nodes.first { $0.id == snapshot.slotOwners[slots[0]] })
            #expect(slots.allSatisfy { snapshot.slotOwners[$0] == current.id }, "round \(round): the slots are split")
            owner = current
        }
        let lost = await keys.verify()
        await keys.close()
        #expect(lost.isEmpty, "\(lost.count) keys lost, e.g. \(lost.prefix(5))")
        // Most rounds must be real races, or the test proves nothing.
        #expect(sequential <= rounds / 2, "only \(rounds - sequential) of \(rounds) rounds raced")
        print("two operators: \(rounds) rounds, \(rounds - sequential) raced (one refused), \(sequential) ran one after the other; refusals seen: \(Set(refusals.map { $0.replacingOccurrences(of: #"\d+"#, with: "N", options: .regularExpression) }))")
    }

    /// When the migration toward `target` started and ended, from its journal lines.
    static func window(in journal: String, target: NodeAddress) throws -> (start: Double, end: Double) {
        var start: Double?
        var end: Double?
        for line in journal.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let detail = object["detail"] as? String, detail.contains("-> \(target) "),
                  let time = object["time"] as? Double, let outcome = object["outcome"] as? String else { continue }
            if outcome == "started" { start = time } else { end = time }
        }
        return (try #require(start), try #require(end))
    }
}
