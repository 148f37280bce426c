import Foundation
import NIOCore
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// The safety rules of the migration engine on real servers: BUSYKEY stops and names the keys,
/// a premature finalise is impossible, and a shardtop killed mid-migration leaves open slots that
/// `shardtop fix` settles either way without losing a key.
@Suite(.serialized, .oneClusterAtATime) struct ActionRepairTests {
    /// A stale key with a different value on the target: the migration stops with busyKeys naming it,
    /// overwrites nothing, leaves the slot open; rollback then meets the same conflict (correct), and
    /// once the stale key is removed by hand `shardtop fix --rollback` settles the slot.
    /// Equal values on both sides are not a conflict: that migration completes.
    @Test(arguments: Engine.allCases)
    func busyKeyStopsNamesTheKeyAndOverwritesNothing(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let (a, b) = (lab.nodes[0], lab.nodes[1])
        let onA = try await RedisConnection.connect(to: a.address, options: TestServers.fastOptions)
        let onB = try await RedisConnection.connect(to: b.address, options: TestServers.fastOptions)
        defer { onA.close(); onB.close() }
        let slot = 300, equalSlot = 301
        let busy = "{\(SlotKeys.tags[slot])}busy"
        let same = "{\(SlotKeys.tags[equalSlot])}same"

        // Plant the stale keys on the target while it briefly imports the slots, then close the marks.
        for reply in try await onB.send([
            ["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", a.id], ["ASKING"], ["SET", busy, "X-on-target"], ["CLUSTER", "SETSLOT", "\(slot)", "STABLE"],
            ["CLUSTER", "SETSLOT", "\(equalSlot)", "IMPORTING", a.id], ["ASKING"], ["SET", same, "Z"], ["CLUSTER", "SETSLOT", "\(equalSlot)", "STABLE"],
        ]) { #expect(reply.errorMessage == nil, "\(reply)") }
        #expect(try await onA.send([["SET", busy, "Y-on-source"], ["SET", same, "Z"]]) == [.simpleString("OK"), .simpleString("OK")])
        let others = AckedWriter(seed: lab.seed, slots: [slot, equalSlot], keysPerSlot: 50)
        await others.preload()

        // Different values: stop, name the key, overwrite nothing, leave the slot open.
        do {
            _ = try await Migration.run(lab, slots: [SlotRange(slot, slot)], to: b, path: .legacy, settings: MigrationSettings())
            Issue.record("the migration went through a BUSYKEY with different values")
        } catch let error as ActionError {
            #expect(error == .busyKeys(slot: slot, keys: [busy]), "\(error)")
            print("[\(engine)] BUSYKEY: \(error)")
        }
        #expect(try await onA.send([["GET", busy]]).first?.string == "Y-on-source")
        #expect(try await onB.send([["ASKING"], ["GET", busy]]).last?.string == "X-on-target")
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        defer { Task { await poller.shutdown() } }
        let (open, _) = await poller.tick()
        let repairs = SlotRepair.find(open)
        #expect(repairs.map(\.slot) == [slot])
        #expect(repairs.first?.kind == .interruptedMove)
        #expect(open.slotOwners[slot] == a.id)
        #expect(await others.verify().isEmpty, "keys of the open slot unreadable")

        // Rollback moves the keys that reached the target back, and meets the same conflict.
        let links = ActionLinks(options: ConnectionOptions())
        defer { Task { await links.close() } }
        if let repair = repairs.first {
            do {
                _ = try await SlotRepairer(links: links).settle(repair, direction: .rollback, snapshot: open)
                Issue.record("rollback went through a BUSYKEY with different values")
            } catch let error as ActionError {
                #expect(error == .busyKeys(slot: slot, keys: [busy]), "\(error)")
            }
        }
        #expect(try await onA.send([["GET", busy]]).first?.string == "Y-on-source")
        #expect(try await onB.send([["ASKING"], ["GET", busy]]).last?.string == "X-on-target")

        // The operator removes the stale copy; fix settles the slot back on the source.
        #expect(try await onB.send([["ASKING"], ["DEL", busy]]).last == .integer(1))
        let state = NSTemporaryDirectory() + "shardtop-busy-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let fix = try await CLI.run(["fix", "\(lab.seed)", "--rollback", "--yes", "--journal", state + "/actions.jsonl"], environment: ["XDG_STATE_HOME": state])
        #expect(fix.status == 0, "fix exit \(fix.status): \(fix.output) \(fix.errorOutput)")
        #expect(try await onA.send([["GET", busy]]).first?.string == "Y-on-source")

        // Equal values: REPLACE of an identical value, the migration completes.
        let outcome = try await Migration.run(lab, slots: [SlotRange(equalSlot, equalSlot)], to: b, path: .legacy, settings: MigrationSettings())
        #expect(outcome.map(\.slotsMoved) == [1])
        #expect(outcome.flatMap(\.commands).contains { $0.contains("REPLACE") }, "\(outcome.flatMap(\.commands))")
        #expect(try await onB.send([["GET", same]]).first?.string == "Z")

        let settled = try await Migration.settledSnapshot(lab)
        #expect(settled.openSlots.isEmpty)
        #expect(settled.slotOwners[slot] == a.id)
        #expect(settled.slotOwners[equalSlot] == b.id)
        #expect(await others.verify().isEmpty)
        await others.close()
        if let check = try await RedisCLI.check(lab.seed) {
            #expect(check.openSlotWarnings.isEmpty, "\(check)")
            #expect(check.fullCoverage, "\(check)")
        }
    }

    /// With a slot opened by hand and keys still on the source, the finalise guard refuses, and
    /// nothing changes: the keys are there and the owner is the same. Once the keys are gone it passes.
    @Test(arguments: Engine.allCases)
    func prematureFinaliseIsImpossible(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let (a, b) = (lab.nodes[0], lab.nodes[1])
        let onA = try await RedisConnection.connect(to: a.address, options: TestServers.fastOptions)
        let onB = try await RedisConnection.connect(to: b.address, options: TestServers.fastOptions)
        defer { onA.close(); onB.close() }
        let slot = 500
        let keys = (0..<30).map { SlotKeys.key(slot: slot, index: $0) }
        #expect(try await onA.send(keys.map { ["SET", $0, "v-\($0)"] }).allSatisfy { $0 == .simpleString("OK") })
        #expect(try await onB.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", a.id]]).first == .simpleString("OK"))
        #expect(try await onA.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", b.id]]).first == .simpleString("OK"))

        await #expect(throws: ActionError.keysLeftOnSource(slot: slot, keys: 30)) {
            try await FinaliseGuard.check([slot], on: onA)
        }
        // Half the keys moved by hand: still refused, with the rest counted.
        var migrate = ["MIGRATE", b.address.host, "\(b.address.port)", "", "0", "5000", "KEYS"]
        migrate += keys.prefix(15)
        #expect(try await onA.send([migrate]).first == .simpleString("OK"))
        await #expect(throws: ActionError.keysLeftOnSource(slot: slot, keys: 15)) {
            try await FinaliseGuard.check([slot, slot + 1], on: onA)
        }
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        defer { Task { await poller.shutdown() } }
        let (snapshot, _) = await poller.tick()
        #expect(snapshot.slotOwners[slot] == a.id)
        #expect(try await onA.send([["CLUSTER", "COUNTKEYSINSLOT", "\(slot)"]]).first == .integer(15))
        let values = try await onA.send(keys.suffix(15).map { ["GET", $0] })
        #expect(zip(keys.suffix(15), values).allSatisfy { $0.1.string == "v-\($0.0)" })
        let moved = try await onB.send(keys.prefix(15).flatMap { [["ASKING"], ["GET", $0]] })
        #expect(zip(keys.prefix(15), stride(from: 1, to: moved.count, by: 2).map { moved[$0] }).allSatisfy { $0.1.string == "v-\($0.0)" })

        // Every key moved: the guard lets the finalise through.
        var rest = ["MIGRATE", b.address.host, "\(b.address.port)", "", "0", "5000", "KEYS"]
        rest += keys.suffix(15)
        #expect(try await onA.send([rest]).first == .simpleString("OK"))
        try await FinaliseGuard.check([slot], on: onA)
        _ = try await onB.send([["CLUSTER", "SETSLOT", "\(slot)", "NODE", b.id]])
        _ = try await onA.send([["CLUSTER", "SETSLOT", "\(slot)", "NODE", b.id]])
        let settled = try await Migration.settledSnapshot(lab)
        #expect(settled.slotOwners[slot] == b.id)
        #expect(settled.openSlots.isEmpty)
        #expect(try await onB.send([["CLUSTER", "COUNTKEYSINSLOT", "\(slot)"]]).first == .integer(30))
    }

    /// A slot left half-moved (source MIGRATING, target IMPORTING, half the keys on each side) is rolled
    /// back while the writer keeps writing to it. The source still carries its MIGRATING mark, so it
    /// answers ASK to any key sent straight back to it; the rollback must still end with the source
    /// owning the slot and every acknowledged write readable. (Before the fix in SlotRepairer this
    /// failed with "MIGRATE failed (ERR Target instance replied with error: ASK ...)".)
    @Test(arguments: Engine.allCases)
    func rollbackOfHalfMovedSlotUnderWriterLosesNothing(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let (a, b) = (lab.nodes[0], lab.nodes[1])
        let onA = try await RedisConnection.connect(to: a.address, options: TestServers.fastOptions)
        let onB = try await RedisConnection.connect(to: b.address, options: TestServers.fastOptions)
        defer { onA.close(); onB.close() }
        let slot = 700
        let bulk = AckedWriter(seed: lab.seed, slots: [slot], keysPerSlot: 300)
        await bulk.preload()
        let hot = AckedWriter(seeds: [lab.seed], keys: (0..<20).map { SlotKeys.key(slot: slot, index: 5000 + $0) })
        await hot.start(lanes: 2)
        #expect(await hot.waitForAcks(100))

        // Leave the slot the way an interrupted migration does: marks set, half the keys moved.
        #expect(try await onB.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", a.id]]).first == .simpleString("OK"))
        #expect(try await onA.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", b.id]]).first == .simpleString("OK"))
        let half = try #require(try await onA.send([["CLUSTER", "GETKEYSINSLOT", "\(slot)", "160"]]).first?.array?.compactMap(\.string))
        #expect(try await onA.send([["MIGRATE", b.address.host, "\(b.address.port)", "", "0", "5000", "KEYS"] + half]).first == .simpleString("OK"))
        #expect(await hot.waitForAcks(100), "writer stalled on the open slot")

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        let (open, _) = await poller.tick()
        await poller.shutdown()
        let repair = try #require(SlotRepair.find(open).first)
        #expect(repair.slot == slot && repair.kind == .interruptedMove)
        let links = ActionLinks(options: ConnectionOptions())
        let result = try await SlotRepairer(links: links).settle(repair, direction: .rollback, snapshot: open)
        await links.close()
        #expect(await hot.waitForAcks(100), "writer stalled after the rollback")
        await hot.stop()

        let settled = try await Migration.settledSnapshot(lab)
        #expect(settled.slotOwners[slot] == a.id)
        #expect(settled.openSlots.count == 0)
        #expect(try await onB.send([["CLUSTER", "COUNTKEYSINSLOT", "\(slot)"]]).first == .integer(0))
        let lost = await bulk.verify() + (await hot.verify())
        let stats = await hot.stats
        print("[\(engine)] rollback under the writer: \(result.keysMoved) keys moved; writer: \(stats)")
        await bulk.close()
        await hot.close()
        #expect(lost.count == 0, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        #expect(stats.ask > 0, "the writer never met the open slot: \(stats)")
        if let check = try await RedisCLI.check(lab.seed) {
            #expect(check.openSlotWarnings.count == 0, "\(check)")
            #expect(check.fullCoverage, "\(check)")
        }
    }

    /// `fix --rollback` of two half-moved slots, as one fix run does it, several times over. Rolling
    /// back moves a slot to the target and straight back; on redis 7.0.15 the second finalise could
    /// claim the slot with a lower config epoch than the target's in-flight gossip, and the source then
    /// gave the slot away again and deleted its keys (200 keys lost, slot uncovered, in round 0 of the
    /// first run). The epoch guard in SlotMover.finalise prevents it.
    @Test(arguments: Engine.allCases)
    func rollingBackTwoSlotsBackToBackKeepsEveryKey(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let (a, b) = (lab.nodes[0], lab.nodes[1])
        let onA = try await RedisConnection.connect(to: a.address, options: TestServers.fastOptions)
        let onB = try await RedisConnection.connect(to: b.address, options: TestServers.fastOptions)
        defer { onA.close(); onB.close() }
        for round in 0..<6 {
            let slots = [3000 + 2 * round, 3001 + 2 * round]
            let keys = AckedWriter(seed: lab.seed, slots: slots, keysPerSlot: 200)
            await keys.preload()
            for slot in slots {
                #expect(try await onB.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", a.id]]).first == .simpleString("OK"))
                #expect(try await onA.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", b.id]]).first == .simpleString("OK"))
                let half = try await onA.send([["CLUSTER", "GETKEYSINSLOT", "\(slot)", "50"]]).first?.array?.compactMap(\.string) ?? []
                #expect(try await onA.send([["MIGRATE", b.address.host, "\(b.address.port)", "", "0", "5000", "KEYS"] + half]).first == .simpleString("OK"))
            }
            let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
            let (open, _) = await poller.tick()
            await poller.shutdown()
            let repairs = SlotRepair.find(open)
            #expect(repairs.map(\.slot) == slots)
            let links = ActionLinks(options: ConnectionOptions())
            for repair in repairs {
                _ = try await SlotRepairer(links: links).settle(repair, direction: .rollback, snapshot: open)
            }
            await links.close()
            try await Task.sleep(for: .milliseconds(300))  // let any stale gossip land
            let settled = try await Migration.settledSnapshot(lab, seconds: 3)
            let lost = await keys.verify()
            await keys.close()
            #expect(lost.count == 0, "round \(round): \(lost.count) of 400 keys lost, e.g. \(lost.prefix(3))")
            #expect(slots.allSatisfy { settled.slotOwners[$0] == a.id }, "round \(round): owners \(slots.map { settled.slotOwners[$0] ?? "none" })")
            #expect(settled.disagreeingNodes.isEmpty && settled.slotsCovered == hashSlotCount, "round \(round): views disagree or slots uncovered")
            if lost.count > 0 { break }
        }
    }

    /// The narrowest kill point, reproduced on purpose: every key moved and SETSLOT NODE sent to the
    /// target only (the engine's first finalise step), then nothing. Both directions must settle it.
    @Test(arguments: Engine.allCases)
    func killedBetweenFinaliseStepsSettlesEitherWay(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let (a, b) = (lab.nodes[0], lab.nodes[1])
        let onA = try await RedisConnection.connect(to: a.address, options: TestServers.fastOptions)
        let onB = try await RedisConnection.connect(to: b.address, options: TestServers.fastOptions)
        defer { onA.close(); onB.close() }
        let links = ActionLinks(options: ConnectionOptions())
        defer { Task { await links.close() } }
        for (slot, direction) in [(800, RepairDirection.resume), (801, RepairDirection.rollback)] {
            let keys = AckedWriter(seed: lab.seed, slots: [slot], keysPerSlot: 100)
            await keys.preload()
            #expect(try await onB.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", a.id]]).first == .simpleString("OK"))
            #expect(try await onA.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", b.id]]).first == .simpleString("OK"))
            let all = try #require(try await onA.send([["CLUSTER", "GETKEYSINSLOT", "\(slot)", "1000"]]).first?.array?.compactMap(\.string))
            #expect(all.count == 100)
            #expect(try await onA.send([["MIGRATE", b.address.host, "\(b.address.port)", "", "0", "5000", "KEYS"] + all]).first == .simpleString("OK"))
            #expect(try await onB.send([["CLUSTER", "SETSLOT", "\(slot)", "NODE", b.id]]).first == .simpleString("OK"))

            // What `fix` would see once gossip has spread the target's claim.
            let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
            let (open, _) = try await pollUntil(poller, seconds: 5, interval: .milliseconds(100)) { snapshot, _ in
                snapshot.disagreeingNodes.isEmpty && snapshot.slotOwners[slot] == b.id
            }
            await poller.shutdown()
            let repairs = SlotRepair.find(open).filter { $0.slot == slot }
            print("[\(engine)] slot \(slot) after SETSLOT NODE on the target only: owner \(open.slotOwners[slot] == b.id ? "target" : "source"), \(repairs.map(\.kind.rawValue)), marks \(open.openSlots.filter { $0.slot == slot }.map { "\($0.state)" })")
            // Valkey 9.1.2 drops the source's MIGRATING mark itself once it learns it lost the slot:
            // then nothing is open and the move is simply complete. Redis 7.0.15 keeps the mark.
            if engine == .redis { #expect(repairs.map(\.kind) == [.finalisedOnTarget]) }
            var owner = b.id
            if let repair = repairs.first {
                let result = try await SlotRepairer(links: links).settle(repair, direction: direction, snapshot: open)
                print("[\(engine)] slot \(slot) \(direction): \(result.keysMoved) keys moved")
                owner = direction == .resume ? b.id : a.id
            }

            let settled = try await Migration.settledSnapshot(lab)
            #expect(settled.openSlots.filter { $0.slot == slot }.count == 0, "slot \(slot) still open after \(direction)")
            #expect(settled.slotOwners[slot] == owner)
            let lost = await keys.verify()
            await keys.close()
            #expect(lost.count == 0, "\(direction): \(lost.count) lost, e.g. \(lost.prefix(5))")
        }
        if let check = try await RedisCLI.check(lab.seed) {
            #expect(check.openSlotWarnings.count == 0, "\(check)")
            #expect(check.fullCoverage, "\(check)")
        }
    }

    /// `shardtop migrate` SIGKILLed at 5 random points (seeded; the seed is printed, and
    /// SHARDTOP_KILL_SEED replays it). After each kill a fresh snapshot shows the open slot(s);
    /// `shardtop fix` resumes (points 1, 3, 5) or rolls back (2, 4); then no slot is open, every slot
    /// is covered, and every acknowledged write reads back. Redis only, to keep the suite short.
    @Test func killedMidMigrationThenFixResumesOrRollsBackLosingNothing() async throws {
        guard let lab = try await TestServers.lab(.redis, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let (a, b) = (lab.nodes[0], lab.nodes[1])
        let seed = ProcessInfo.processInfo.environment["SHARDTOP_KILL_SEED"].flatMap { UInt64($0) }
            ?? UInt64(Date().timeIntervalSince1970 * 1000)
        print("[kill] RNG seed \(seed) (replay with SHARDTOP_KILL_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let state = NSTemporaryDirectory() + "shardtop-kill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let journal = state + "/actions.jsonl"
        let environment = ["XDG_STATE_HOME": state]
        let onA = try await RedisConnection.connect(to: a.address, options: TestServers.fastOptions)
        defer { onA.close() }

        var writers: [AckedWriter] = []
        var openAtKill = 0
        for point in 1...5 {
            let before = try await Migration.settledSnapshot(lab)
            let slots = Array((0..<hashSlotCount).filter { before.slotOwners[$0] == a.id }.suffix(40))
            // Keys of their own per point: a rolled-back point's slots are taken again by the next one.
            let bulk = AckedWriter(seeds: [lab.seed], keys: slots.flatMap { slot in (0..<200).map { SlotKeys.key(slot: slot, index: point * 1000 + $0) } })
            await bulk.preload()
            let hot = AckedWriter(seeds: [lab.seed], keys: slots.flatMap { slot in (0..<2).map { SlotKeys.key(slot: slot, index: point * 1000 + 500 + $0) } })
            await hot.start(lanes: 2)
            #expect(await hot.waitForAcks(50))
            writers += [bulk, hot]

            let child = try SpawnedCLI([
                "migrate", "--from", "\(a.address)", "--to", "\(b.address)", "--count", "40", "--batch", "5",
                "--slots-per-round", "2", "--yes", "--journal", journal, "\(lab.seed)",
            ])
            // Start the clock at the first open slot, so the random point falls inside the migration.
            let openedAt = Date()
            var opened = false
            while Date().timeIntervalSince(openedAt) < 15 && child.isRunning {
                let nodes = try await onA.send([["CLUSTER", "NODES"]]).first?.string ?? ""
                if nodes.split(separator: "\n").contains(where: { $0.contains("myself") && $0.contains("->-") }) { opened = true; break }
                try await Task.sleep(for: .milliseconds(5))
            }
            let delay = Double.random(in: 0...0.9, using: &rng)
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            let finishedBeforeKill = !child.isRunning
            child.kill9()
            await hot.stop()

            // A kill inside the finalise leaves the nodes' views apart for a moment (fix refuses then,
            // and says so); wait for gossip like an operator re-running fix would.
            let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
            let (killed, _) = try await pollUntil(poller, seconds: 5, interval: .milliseconds(100)) { snapshot, _ in
                snapshot.disagreeingNodes.isEmpty
            }
            await poller.shutdown()
            let repairs = SlotRepair.find(killed)
            let movedSlots = slots.filter { killed.slotOwners[$0] == b.id }.count
            print("[kill] point \(point): delay \(String(format: "%.3f", delay)) s after the first open slot (seen: \(opened)); "
                  + (finishedBeforeKill ? "migrate had already exited (\(child.output.suffix(200)))" : "killed")
                  + "; \(movedSlots)/40 slots on the target; open: \(repairs.map { "\($0.slot) \($0.kind.rawValue)" })")
            if repairs.isEmpty { print("[kill] point \(point): the kill landed between rounds (no slot open); verifying anyway") }
            openAtKill += repairs.isEmpty ? 0 : 1

            let direction = point % 2 == 1 ? "--resume" : "--rollback"
            var fix = try await CLI.run(["fix", "\(lab.seed)", direction, "--yes", "--journal", journal], environment: environment, timeoutSeconds: 60)
            #expect(fix.status == 0, "point \(point): fix \(direction) exit \(fix.status): \(fix.output) \(fix.errorOutput)")
            print("[kill] point \(point): fix \(direction): exit \(fix.status): \(fix.output.split(separator: "\n").filter { $0.contains("settled") || $0.contains("nothing") }.joined(separator: "; ")) \(fix.errorOutput)")
            var attempts = 1
            while fix.status != 0 && attempts < 4 {  // keep the next points meaningful even after a failure
                try await Task.sleep(for: .seconds(1))
                fix = try await CLI.run(["fix", "\(lab.seed)", direction, "--yes", "--journal", journal], environment: environment, timeoutSeconds: 60)
                attempts += 1
            }

            let after = try await Migration.settledSnapshot(lab)
            #expect(after.openSlots.count == 0, "point \(point): still open: \(after.openSlots.map(\.slot))")
            #expect(after.slotsCovered == hashSlotCount)
            if direction == "--rollback", !repairs.isEmpty {
                for repair in repairs { #expect(after.slotOwners[repair.slot] == a.id, "slot \(repair.slot) not rolled back") }
            }
            if direction == "--resume" {
                for repair in repairs { #expect(after.slotOwners[repair.slot] == b.id, "slot \(repair.slot) not resumed") }
            }
            if let check = try await RedisCLI.check(lab.seed) {
                #expect(check.openSlotWarnings.count == 0, "point \(point): \(check)")
                #expect(check.fullCoverage, "point \(point): \(check)")
            }
            let lost = await bulk.verify() + (await hot.verify())
            #expect(lost.count == 0, "point \(point): \(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        }
        // Every key of every point, once more at the end.
        var lost: [AckedWriter.Lost] = []
        for writer in writers {
            lost += await writer.verify()
            await writer.close()
        }
        #expect(lost.count == 0, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        print("[kill] \(openAtKill) of 5 kills left a slot open")
    }
}

/// A small seedable generator, so a failing run's kill points can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
