import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// Issue 14 on a real lab: a slot given twice moves once and nothing stays open; open slots are
/// counted once (not once per side) in the refusal, and `fix` without a terminal lists them all.
@Suite(.serialized, .oneClusterAtATime) struct SlotListingTests {
    @Test(arguments: Engine.allCases)
    func repeatedSlotMovesOnceAndOpenSlotsAreCountedOnce(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let state = NSTemporaryDirectory() + "shardtop-slots-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let journal = ["--journal", state + "/actions.jsonl"]
        let env = ["XDG_STATE_HOME": state]
        let before = try await snapshot(lab)
        let source = try #require(before.slotOwners[7])
        let target = try #require(lab.nodes.first { $0.id != source })

        let migrate = try await CLI.run(["migrate", "--slots", "7,7", "--to", "\(target.address)", "--yes", "\(lab.seed)"] + journal, environment: env,
                                        timeoutSeconds: 60)
        #expect(migrate.status == 0, "exit \(migrate.status): \(migrate.output) \(migrate.errorOutput)")
        #expect(migrate.output.contains("slots 7 (given as 7,7: overlapping ranges merged)"), "\(migrate.output)")
        let moved = try await snapshot(lab)
        #expect(moved.slotOwners[7] == target.id)
        #expect(moved.openSlots.isEmpty, "left open: \(moved.openSlots)")
        #expect(moved.slotsCovered == hashSlotCount)

        // 16 slots opened by hand on both sides: 32 marks, 16 open slots.
        let owner = try #require(moved.slotOwners[100])
        let peer = try #require(lab.nodes.first { $0.id != owner })
        let ownerNode = try #require(lab.nodes.first { $0.id == owner })
        let ownerConnection = try await RedisConnection.connect(to: ownerNode.address, options: TestServers.fastOptions(lab))
        let peerConnection = try await RedisConnection.connect(to: peer.address, options: TestServers.fastOptions(lab))
        defer { ownerConnection.close(); peerConnection.close() }
        let slots = Array(100..<116)
        _ = try await peerConnection.send(slots.map { ["CLUSTER", "SETSLOT", "\($0)", "IMPORTING", owner] })
        _ = try await ownerConnection.send(slots.map { ["CLUSTER", "SETSLOT", "\($0)", "MIGRATING", peer.id] })
        let open = try await snapshot(lab)
        #expect(open.openSlots.count == 32)
        #expect(open.openSlotNumbers == slots)

        let elsewhere = try #require(lab.nodes.first { $0.id != open.slotOwners[9000] })
        let refused = try await CLI.run(["migrate", "--slots", "9000", "--to", "\(elsewhere.address)", "--yes", "\(lab.seed)"] + journal, environment: env)
        #expect(refused.status == 1, "exit \(refused.status): \(refused.errorOutput)")
        #expect(refused.errorOutput.split(separator: "\n").count == 1, "\(refused.errorOutput)")
        #expect(refused.errorOutput.contains("has 16 open slots: 100-115"), "\(refused.errorOutput)")
        #expect(!refused.errorOutput.contains("32"), "\(refused.errorOutput)")

        let listed = try await CLI.run(["fix", "\(lab.seed)"] + journal, environment: env)
        #expect(listed.status == 2, "exit \(listed.status): \(listed.output) \(listed.errorOutput)")
        #expect(listed.output.contains("16 open slots:"), "\(listed.output)")
        for slot in slots { #expect(listed.output.contains("slot \(slot) [interrupted-move]"), "slot \(slot) not listed: \(listed.output)") }
        #expect(listed.errorOutput.contains("pass --resume or --rollback"))

        let rollback = try await CLI.run(["fix", "\(lab.seed)", "--rollback", "--yes"] + journal, environment: env, timeoutSeconds: 60)
        #expect(rollback.status == 0, "exit \(rollback.status): \(rollback.output) \(rollback.errorOutput)")
        let settled = try await snapshot(lab)
        #expect(settled.openSlots.isEmpty, "left open: \(settled.openSlots)")
    }

    private func snapshot(_ lab: LabCluster) async throws -> ClusterSnapshot {
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        return snapshot
    }
}
