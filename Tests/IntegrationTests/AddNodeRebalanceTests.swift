import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `add-node --primary --rebalance`: the new primary joins and the planner's moves onto it run
/// through the migration engine in the same command, with the acked-write recorder running.
@Suite(.serialized, .oneClusterAtATime) struct AddNodeRebalanceTests {
    @Test func aNewPrimaryIsRebalancedOntoInOneCommand() async throws {
        guard let lab = try await TestServers.lab(.redis, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let options = TestServers.fastOptions(lab)
        let state = NSTemporaryDirectory() + "shardtop-add-rebalance-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let journal = "\(state)/actions.jsonl"

        let bulk = AckedWriter(seed: lab.seed, slots: Array(stride(from: 0, to: hashSlotCount, by: 64)), keysPerSlot: 4)
        await bulk.preload()
        let hot = AckedWriter(seeds: [lab.seed], keys: stride(from: 11, to: hashSlotCount, by: 101).map { SlotKeys.key(slot: $0, index: 9000) })
        await hot.start(lanes: 2)
        #expect(await hot.waitForAcks(50))

        let spare = try await LabSpareServer.start(like: lab)
        defer { spare.stop() }
        let add = try await CLI.run(["add-node", "\(spare.address)", "\(lab.seed)", "--primary", "--rebalance", "--yes", "--journal", journal],
                                    environment: ["XDG_STATE_HOME": state], timeoutSeconds: 400)
        #expect(add.status == 0, "\(add.output) \(add.errorOutput)")
        #expect(add.output.contains("joined: every node knows it"), "\(add.output)")

        let spareId = try #require(await MembershipProbe.myId(spare.address, options: options))
        let grown = try await Migration.settledSnapshot(lab)
        let owned = grown.slotOwners.filter { $0 == spareId }.count
        #expect(abs(owned - hashSlotCount / 4) < hashSlotCount / 40, "the new primary owns \(owned) slots")
        if let check = try await RedisCLI.check(lab.seed, seconds: 20) { #expect(check.clean, "\(check)") }
        #expect(await hot.waitForAcks(50), "writer stalled after the rebalance")

        await hot.stop()
        var lost: [AckedWriter.Lost] = []
        for writer in [bulk, hot] { lost += await writer.verify() }
        for writer in [bulk, hot] { await writer.close() }
        #expect(lost.isEmpty, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(5))")
        let entries = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
        #expect(entries.contains("\"add-node\"") && entries.contains("\"rebalance\""), "\(entries)")
    }
}
