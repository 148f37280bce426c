import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// Issue 14's case 4, reproduced exactly: 16 slots opened by hand, the keys of 8 of them moved,
/// the source primary SIGKILLed and its replica promoted. Redis 7.0 does not replicate MIGRATING,
/// so the promoted replica owns the slots without the mark, the target still imports from a dead
/// node, and the 8 moved slots' keys are unreachable. One `fix --resume` must settle it all.
@Suite(.serialized, .oneClusterAtATime) struct FixAfterSourceDiedTests {
    @Test func oneResumeSettlesSlotsWhoseSourceDiedAndFailedOver() async throws {
        guard let lab = try await TestServers.lab(.redis, primaries: 3, replicas: 1) else { return }
        defer { lab.stop() }
        let (source, target, heir) = (lab.nodes[0], lab.nodes[1], lab.nodes[3])
        let slots = Array(100..<116)
        let keys = AckedWriter(seed: lab.seed, slots: slots, keysPerSlot: 30)
        await keys.preload()

        let onSource = try await RedisConnection.connect(to: source.address, options: ACLLab.patient)
        let onTarget = try await RedisConnection.connect(to: target.address, options: ACLLab.patient)
        defer { onTarget.close() }
        for slot in slots {
            #expect(try await onTarget.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", source.id]]).first == .simpleString("OK"))
            #expect(try await onSource.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", target.id]]).first == .simpleString("OK"))
        }
        for slot in slots.prefix(8) {
            let names = try #require(try await onSource.send([["CLUSTER", "GETKEYSINSLOT", "\(slot)", "1000"]]).first?.array?.compactMap(\.string))
            #expect(names.count == 30)
            let reply = try await onSource.send([["MIGRATE", target.address.host, "\(target.address.port)", "", "0", "5000", "KEYS"] + names])
            #expect(reply.first == .simpleString("OK"), "\(reply)")
        }
        // The replica has every write (and the deletions MIGRATE made) before the source dies.
        _ = try await onSource.send([["WAIT", "1", "5000"]], timeout: .seconds(10))
        onSource.close()
        lab.kill(source.address)

        let poller = ClusterPoller(seeds: [target.address], options: ACLLab.patient)
        let (promoted, _) = try await pollUntil(poller, seconds: 60) { snapshot, _ in
            snapshot.node(id: heir.id)?.role == .primary && slots.allSatisfy { snapshot.slotOwners[$0] == heir.id }
        }
        await poller.shutdown()
        try #require(promoted.node(id: heir.id)?.role == .primary, "the replica was not promoted")
        let repairs = SlotRepair.find(promoted)
        #expect(repairs.count == 16 && repairs.allSatisfy { $0.kind == .sourceFailedOver && $0.sourceId == heir.id }, "\(repairs)")

        let fix = try await CLI.run(["fix", "--resume", "--yes", "--journal", NSTemporaryDirectory() + "shardtop-fix-\(UUID().uuidString).jsonl",
                                     "\(target.address)"], timeoutSeconds: 120)
        print("fix --resume: exit \(fix.status)\n\(fix.output)\(fix.errorOutput)")
        #expect(fix.status == 0, "\(fix.output)\(fix.errorOutput)")
        #expect(fix.output.contains("failed over"), "the plan should say which case this is: \(fix.output)")

        let settled = try await pollUntil(ClusterPoller(seeds: [target.address], options: ACLLab.patient), seconds: 20) { snapshot, _ in
            snapshot.openSlots.isEmpty && slots.allSatisfy { snapshot.slotOwners[$0] == target.id }
        }.0
        #expect(settled.openSlots.isEmpty, "\(settled.openSlots)")
        #expect(slots.allSatisfy { settled.slotOwners[$0] == target.id })
        for node in lab.nodes where node.id != source.id {
            let connection = try await RedisConnection.connect(to: node.address, options: ACLLab.patient)
            defer { connection.close() }
            let info = try #require(try await connection.send([["CLUSTER", "INFO"]]).first?.string)
            #expect(info.contains("cluster_state:ok"), "\(node.address): \(info.prefix(60))")
        }
        guard fix.status == 0 else { return }
        let lost = await keys.verify()
        await keys.close()
        #expect(lost.isEmpty, "\(lost.count) of 480 keys unreadable, e.g. \(lost.prefix(5))")
    }
}
