import Foundation
import NIOCore
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// Slot migration on real servers under a writer that records every acknowledged write; the
/// independent judge of the end state is `redis-cli --cluster check`.
@Suite(.serialized, .oneClusterAtATime) struct ActionMigrationTests {
    /// Legacy path (forced on Valkey, which would otherwise go atomic): 1 slot, then 200 slots,
    /// then a range through the headless command.
    @Test(arguments: Engine.allCases)
    func legacyMigrationUnderWriterLosesNothing(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let (a, b, c) = (lab.nodes[0], lab.nodes[1], lab.nodes[2])
        // Small batches so each slot takes several MIGRATE rounds and the writer meets open slots.
        let settings = MigrationSettings(slotsPerRound: 16, batchKeys: 50)

        // One slot, 2000 keys, 20 of them rewritten all the time.
        let one = [100]
        let bulk1 = AckedWriter(seed: lab.seed, slots: one, keysPerSlot: 2000)
        await bulk1.preload()
        let hot1 = AckedWriter(seeds: [lab.seed], keys: (0..<20).map { SlotKeys.key(slot: 100, index: 5000 + $0) })
        await hot1.start(lanes: 2)
        #expect(await hot1.waitForAcks(100))
        let first = try await Migration.run(lab, slots: [SlotRange(100, 100)], to: b, path: .legacy, settings: settings)
        #expect(first.map(\.slotsMoved) == [1])
        #expect(first.map(\.keysMoved).reduce(0, +) >= 2000)
        #expect(await hot1.waitForAcks(100), "writer stalled after the move")
        await hot1.stop()

        // 200 slots, 50 keys each, 2 per slot rewritten all the time.
        let many = Array(200..<400)
        let bulk200 = AckedWriter(seed: lab.seed, slots: many, keysPerSlot: 50)
        await bulk200.preload()
        let hot200 = AckedWriter(seeds: [lab.seed], keys: many.flatMap { slot in (0..<2).map { SlotKeys.key(slot: slot, index: 5000 + $0) } })
        await hot200.start(lanes: 3)
        #expect(await hot200.waitForAcks(200))
        let started = Date()
        let second = try await Migration.run(lab, slots: [SlotRange(200, 399)], to: c, path: .legacy, settings: settings)
        let seconds = Date().timeIntervalSince(started)
        #expect(second.map(\.slotsMoved) == [200])
        #expect(second.map(\.keysMoved).reduce(0, +) >= 200 * 50)
        #expect(await hot200.waitForAcks(200), "writer stalled after the move")
        await hot200.stop()

        // Headless: a range through the CLI, legacy forced on Valkey.
        let cliKeys = AckedWriter(seed: lab.seed, slots: Array(400..<410), keysPerSlot: 100)
        await cliKeys.preload()
        let state = NSTemporaryDirectory() + "shardtop-migrate-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        var arguments = ["migrate", "--slots", "400-409", "--to", "\(b.address)", "--yes", "--journal", state + "/actions.jsonl", "\(lab.seed)"]
        if engine == .valkey { arguments += ["--path", "legacy"] }
        let cli = try await CLI.run(arguments, environment: ["XDG_STATE_HOME": state], timeoutSeconds: 60)
        #expect(cli.status == 0, "exit \(cli.status): \(cli.output) \(cli.errorOutput)")
        #expect(cli.output.contains("[legacy]") || cli.output.contains("path:      legacy"), "\(cli.output)")

        var lost: [AckedWriter.Lost] = []
        var writes: [String] = []
        for writer in [bulk1, hot1, bulk200, hot200, cliKeys] {
            lost += await writer.verify()
            writes.append("\(await writer.stats)")
            await writer.close()
        }
        print("[\(engine)] legacy: 200 slots in \(String(format: "%.2f", seconds)) s; writers: \(writes.joined(separator: " | "))")
        #expect(lost.count == 0, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        let hotStats = await hot200.stats
        #expect(hotStats.moved > 0, "the writer never met a moved slot: \(hotStats)")

        let snapshot = try await Migration.settledSnapshot(lab)
        #expect(snapshot.slotOwners[100] == b.id)
        #expect((200..<400).allSatisfy { snapshot.slotOwners[$0] == c.id })
        #expect((400..<410).allSatisfy { snapshot.slotOwners[$0] == b.id })
        #expect(snapshot.openSlots.isEmpty)
        #expect(snapshot.slotOwners[0] == a.id)
        if let check = try await RedisCLI.check(lab.seed) {
            #expect(check.openSlotWarnings.isEmpty, "\(check)")
            #expect(check.fullCoverage, "\(check)")
        }
    }

    /// A round's claim sends the target's PONG broadcast twice, not once per slot (SlotMover
    /// .claimCommands), and still reaches every node, replicas included: the target ends with the
    /// highest config epoch of the primaries, every node's view agrees, no key is lost.
    @Test(arguments: Engine.allCases)
    func roundClaimsReachEveryNodeWithoutABroadcastPerSlot(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1) else { return }
        defer { lab.stop() }
        let before = try await Migration.settledSnapshot(lab)
        let slots = Array(0..<200)
        guard let sourceId = before.slotOwners[0],
              let target = lab.nodes.first(where: { $0.isPrimary && $0.id != sourceId }) else {
            Issue.record("no source and target in \(before.nodes.map(\.address))")
            return
        }
        let bulk = AckedWriter(seed: lab.seed, slots: slots, keysPerSlot: 20)
        await bulk.preload()
        let onTarget = try await RedisConnection.connect(to: target.address, options: TestServers.fastOptions(lab))
        defer { onTarget.close() }
        let pongsBefore = try await Self.pongsSent(onTarget)
        let started = Date()
        let outcomes = try await Migration.run(lab, slots: [SlotRange(0, 199)], to: target, path: .legacy,
                                               settings: MigrationSettings(slotsPerRound: 100))
        let seconds = Date().timeIntervalSince(started)
        let pongs = try await Self.pongsSent(onTarget) - pongsBefore
        #expect(outcomes.map(\.slotsMoved) == [200])
        #expect(outcomes.flatMap(\.commands).contains { $0.hasPrefix("CLUSTER SETSLOT <slot> STABLE (target") })
        // One broadcast per claimed slot was 200 x 5 other nodes = 1,000 PONGs; two per round are
        // 20, plus the PONGs that answer the cluster's own PINGs (a few a second per peer).
        let allowed = 500 + Int(seconds * 50)
        print("[\(engine)] 200 slots in 2 rounds, \(String(format: "%.2f", seconds)) s: the target sent \(pongs) PONGs (allowed \(allowed))")
        #expect(pongs < allowed)

        let after = try await Migration.settledSnapshot(lab, seconds: 20)
        #expect(after.disagreeingNodes.isEmpty, "views still differ: \(after.disagreeingNodes)")
        #expect(slots.allSatisfy { after.slotOwners[$0] == target.id })
        #expect(after.openSlots.isEmpty)
        let epochs = after.primaries.map(\.configEpoch)
        #expect(after.nodes.first { $0.id == target.id }?.configEpoch == epochs.max(), "epochs \(after.primaries.map { ($0.address, $0.configEpoch) })")
        let lost = await bulk.verify()
        await bulk.close()
        #expect(lost.count == 0, "\(lost.count) lost keys, e.g. \(lost.prefix(10))")
        if let check = try await RedisCLI.check(lab.seed) {
            #expect(check.openSlotWarnings.isEmpty, "\(check)")
            #expect(check.fullCoverage, "\(check)")
        }
    }

    static func pongsSent(_ connection: RedisConnection) async throws -> Int {
        let text = try await connection.send([["CLUSTER", "INFO"]]).first?.string ?? ""
        let line = text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("cluster_stats_messages_pong_sent:") }
        return line.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// Valkey 9.1.2 moves 200 slots with CLUSTER MIGRATESLOTS (chosen, not forced), under the writer.
    @Test func valkeyAtomicMigrationOf200SlotsLosesNothing() async throws {
        guard let lab = try await TestServers.lab(.valkey, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let target = lab.nodes[1]
        let many = Array(1000..<1200)
        let bulk = AckedWriter(seed: lab.seed, slots: many, keysPerSlot: 50)
        await bulk.preload()
        let hot = AckedWriter(seeds: [lab.seed], keys: many.flatMap { slot in (0..<2).map { SlotKeys.key(slot: slot, index: 5000 + $0) } })
        await hot.start(lanes: 3)
        #expect(await hot.waitForAcks(200))

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        let plans = try MigrationPlanner.plans(snapshot, slots: [SlotRange(1000, 1199)], to: target.id)
        #expect(plans.count == 1)
        #expect(plans.map(\.path) == [.atomic], "\(plans.map(\.pathReason))")
        let started = Date()
        let outcomes = try await Migration.run(lab, plans: plans, snapshot: snapshot, settings: MigrationSettings())
        let seconds = Date().timeIntervalSince(started)
        #expect(outcomes.map(\.slotsMoved) == [200])
        #expect(outcomes.flatMap(\.commands).contains { $0.hasPrefix("CLUSTER MIGRATESLOTS") })
        #expect(await hot.waitForAcks(200), "writer stalled after the move")
        await hot.stop()

        let lost = await bulk.verify() + (await hot.verify())
        print("[valkey] atomic: 200 slots in \(String(format: "%.2f", seconds)) s; writer: \(await hot.stats)")
        await bulk.close()
        await hot.close()
        #expect(lost.count == 0, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        let after = try await Migration.settledSnapshot(lab)
        #expect(many.allSatisfy { after.slotOwners[$0] == target.id })
        #expect(after.openSlots.isEmpty)
        if let check = try await RedisCLI.check(lab.seed) {
            #expect(check.openSlotWarnings.isEmpty, "\(check)")
            #expect(check.fullCoverage, "\(check)")
        }
    }

    /// The atomic path's wait asks the source CLUSTER SLOT-STATS between GETSLOTMIGRATIONS listings
    /// (a listing grows with the node's job log); a user refused SLOT-STATS waits on listings alone.
    /// Both moves lose nothing and end with the slots on the target.
    @Test func valkeyAtomicWaitProbesAndFallsBackToListings() async throws {
        guard let lab = try await TestServers.lab(.valkey, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let target = lab.nodes[1]
        let slots = Array(2000..<2100)
        let keys = AckedWriter(seed: lab.seed, slots: slots, keysPerSlot: 100)
        await keys.preload()

        let probed = try await Migration.run(lab, slots: [SlotRange(2000, 2049)], to: target, path: .atomic, settings: MigrationSettings())
        let probedCommands = probed.flatMap(\.commands)
        #expect(probedCommands.contains { $0.hasPrefix("CLUSTER SLOT-STATS") }, "\(probedCommands)")
        // The target is kept awake while the job runs (see AtomicMigrator.wakeTarget).
        #expect(probedCommands.contains { $0.hasPrefix("CLUSTER COUNTKEYSINSLOT (target, wake-up)") }, "\(probedCommands)")

        // The README's operating user with the atomic rules, and nothing for SLOT-STATS.
        let password = "probe-fallback-secret"
        try await ACLLab.load(lab, ACLUserLines.line(user: ACLUserLines.operatingUser, password: password,
                                                     rules: ACLUserLines.operatingRules + ACLUserLines.atomicRules))
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        let plans = try MigrationPlanner.plans(snapshot, slots: [SlotRange(2050, 2099)], to: target.id)
        #expect(plans.map(\.path) == [.atomic], "\(plans.map(\.pathReason))")
        let links = ActionLinks(options: ACLLab.options(ACLUserLines.operatingUser, password, lab))
        let outcome = try await MigrationRunner(links: links).run(plans[0], primaries: snapshot.primaries.map(\.address)) { _ in }
        await links.close()
        #expect(outcome.slotsMoved == 50)
        #expect(!outcome.commands.contains { $0.hasPrefix("CLUSTER SLOT-STATS") }, "\(outcome.commands)")
        #expect(outcome.commands.contains { $0.hasPrefix("CLUSTER GETSLOTMIGRATIONS") }, "\(outcome.commands)")
        // The operating user may send COUNTKEYSINSLOT, so its target is woken too.
        #expect(outcome.commands.contains { $0.hasPrefix("CLUSTER COUNTKEYSINSLOT (target, wake-up)") }, "\(outcome.commands)")

        let lost = await keys.verify()
        await keys.close()
        #expect(lost.isEmpty, "\(lost.count) keys lost, e.g. \(lost.prefix(5))")
        let after = try await Migration.settledSnapshot(lab)
        #expect(slots.allSatisfy { after.slotOwners[$0] == target.id })
    }
}

/// Running plans the way `migrate` does, from a fresh snapshot.
enum Migration {
    static func run(_ lab: LabCluster, slots: [SlotRange], to target: LabCluster.Node, path: MigrationPath?,
                    settings: MigrationSettings) async throws -> [MigrationOutcome] {
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        var plans = try MigrationPlanner.plans(snapshot, slots: slots, to: target.id)
        if let path { for index in plans.indices { plans[index].path = path } }
        return try await run(lab, plans: plans, snapshot: snapshot, settings: settings)
    }

    static func run(_ lab: LabCluster, plans: [MigrationPlan], snapshot: ClusterSnapshot, settings: MigrationSettings) async throws -> [MigrationOutcome] {
        let links = ActionLinks(options: lab.connectionOptions)
        defer { Task { await links.close() } }
        let runner = MigrationRunner(links: links, settings: settings)
        let primaries = snapshot.primaries.filter { !$0.isUnknownSeed }.map(\.address)
        var outcomes: [MigrationOutcome] = []
        for plan in plans {
            outcomes.append(try await runner.run(plan, primaries: primaries) { _ in })
        }
        return outcomes
    }

    /// A snapshot once every node agrees (gossip converged) and nothing is open, or after 10 s.
    static func settledSnapshot(_ lab: LabCluster, seconds: Double = 10) async throws -> ClusterSnapshot {
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        defer { Task { await poller.shutdown() } }
        let (snapshot, _) = try await pollUntil(poller, seconds: seconds, interval: .milliseconds(200)) { snapshot, _ in
            snapshot.disagreeingNodes.isEmpty && snapshot.openSlots.isEmpty && snapshot.slotsCovered == hashSlotCount
        }
        return snapshot
    }
}
