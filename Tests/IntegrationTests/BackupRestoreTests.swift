import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `shardtop backup` and the restore drill (`lab --restore`) on real servers: writes acknowledged
/// before the backup began are all in the restored cluster, the slot map and key counts come back
/// exactly, and a BGSAVE that fails on one node is that shard's failure, never a silent gap.
@Suite(.serialized, .oneClusterAtATime) struct BackupRestoreTests {
    /// Writes flow during the whole backup. Every value acknowledged before the backup began
    /// (the checkpoint) is in the restored cluster, or a later value of the same key: the manifest's
    /// offset at each save is at or past the primary's offset when the backup began.
    @Test(arguments: Engine.allCases)
    func backupUnderWritesKeepsEveryWriteAcknowledgedBeforeIt(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let work = Self.scratch("acked")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try await Self.waitForReplicas(lab)

        let slots = Array(stride(from: 0, to: hashSlotCount, by: 41))
        let writer = AckedWriter(seed: lab.seed, slots: slots, keysPerSlot: 3)
        await writer.preload()
        await writer.start(lanes: 3)
        #expect(await writer.waitForAcks(300), "the writer made no progress")

        // The checkpoint: what was acknowledged before the backup was asked for.
        var checkpoint: [String: Int] = [:]
        for key in writer.keys { checkpoint[key] = await writer.lastAck(key) }
        #expect(checkpoint.count == writer.keys.count, "the preload acknowledged every key")
        let backup = try await CLI.run(["backup", "\(lab.seed)", "--dir", "\(work)/b", "--yes", "--journal", "\(work)/actions.jsonl"],
                                       timeoutSeconds: 180)
        // Writes go on after the save, so the restored values can only be at or past the checkpoint.
        #expect(await writer.waitForAcks(200), "the writer stalled during the backup")
        await writer.stop()
        let stats = await writer.stats
        await writer.close()
        #expect(backup.status == 0, "backup: \(backup.output) \(backup.errorOutput)")
        let manifest = try Self.manifest("\(work)/b/manifest.json")
        #expect(manifest.complete)
        #expect(manifest.shards.count == 3)
        for shard in manifest.shards {
            #expect(shard.status == .saved, "shard \(shard.shard): \(shard.error ?? "")")
            #expect(shard.nodeRole == "replica", "shard \(shard.shard) should be saved by its replica")
            let atSave = try #require(shard.offsetAtSave), atStart = try #require(shard.primaryOffsetAtStart)
            #expect(atSave >= atStart, "shard \(shard.shard) saved at \(atSave), before the primary's \(atStart) at the start")
            #expect(shard.sha256?.count == 64)
            let size = try #require(shard.size)
            let onDisk = try FileManager.default.attributesOfItem(atPath: "\(work)/b/\(shard.file ?? "-")")[.size] as? Int
            #expect(onDisk.map(Int64.init) == size)
        }
        lab.stop()

        let server = try #require(TestServers.binary(engine))
        let (restored, verdict, _) = try await LabRestoreDrill.run(manifestPath: "\(work)/b/manifest.json", serverPath: server)
        defer { restored.stop() }
        #expect(verdict.ok, "\(verdict.lines.joined(separator: "\n"))")
        let reader = AckedWriter(seeds: restored.addresses, keys: writer.keys)
        var missing: [String] = []
        for (key, acked) in checkpoint {
            let value = await reader.read(key).flatMap { Int($0) }
            if value == nil || value! < acked { missing.append("\(key): acked \(acked) before the backup, restored \(value.map(String.init) ?? "nothing")") }
        }
        await reader.close()
        #expect(missing.isEmpty, "\(missing.count) writes acknowledged before the backup are not in the restore, e.g. \(missing.prefix(5)); writer: \(stats)")
    }

    /// A slot map that is not an even split (slots 100-199 moved to the last primary), restored
    /// exactly, with every shard's key count; the CLI says OK and exits 0, and a manifest whose
    /// key count is wrong gets MISMATCH and exit 1.
    @Test(arguments: Engine.allCases)
    func restoreDrillReproducesTheSlotMapAndKeyCounts(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let work = Self.scratch("drill")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try await Self.waitForReplicas(lab)
        let writer = AckedWriter(seed: lab.seed, slots: Array(stride(from: 0, to: hashSlotCount, by: 7)), keysPerSlot: 2)
        await writer.preload()
        await writer.close()
        let last = lab.nodes.filter(\.isPrimary).last!
        let migrate = try await CLI.run(["migrate", "\(lab.seed)", "--slots", "100-199", "--to", "\(last.address)", "--yes",
                                         "--journal", "\(work)/actions.jsonl"], timeoutSeconds: 120)
        try #require(migrate.status == 0, "migrate: \(migrate.output) \(migrate.errorOutput)")
        try await Self.waitForReplicas(lab)

        let backup = try await CLI.run(["backup", "\(lab.seed)", "--dir", "\(work)/b", "--yes", "--journal", "\(work)/actions.jsonl"],
                                       timeoutSeconds: 180)
        #expect(backup.status == 0, "backup: \(backup.output) \(backup.errorOutput)")
        let manifest = try Self.manifest("\(work)/b/manifest.json")
        let moved = try #require(manifest.shards.first { $0.primaryId == last.id })
        #expect(moved.slots.contains(SlotRange(100, 199)), "the manifest's slot map: \(manifest.slotMap)")
        #expect(manifest.shards.compactMap(\.keys).reduce(0, +) == Int64(writer.keys.count))
        lab.stop()

        let drill = try await CLI.run(["lab", "--restore", "\(work)/b/manifest.json", "--check-only", "--server", try #require(TestServers.binary(engine))],
                                      timeoutSeconds: 180)
        #expect(drill.status == 0, "lab --restore: \(drill.output) \(drill.errorOutput)")
        #expect(drill.output.contains("restore drill: OK, 3 shards"), "\(drill.output)")
        for shard in manifest.shards {
            #expect(drill.output.contains("shard \(shard.shard) "), "\(drill.output)")
        }

        // The same files with one key count off by one: the drill must notice.
        var wrong = manifest
        wrong.shards[0].keys = (wrong.shards[0].keys ?? 0) + 1
        try JSONEncoder().encode(wrong).write(to: URL(fileURLWithPath: "\(work)/b/wrong.json"))
        let mismatch = try await CLI.run(["lab", "--restore", "\(work)/b/wrong.json", "--check-only", "--server", try #require(TestServers.binary(engine))],
                                         timeoutSeconds: 180)
        #expect(mismatch.status == 1, "a wrong key count: \(mismatch.output) \(mismatch.errorOutput)")
        #expect(mismatch.output.contains("keys DIFFER"), "\(mismatch.output)")
    }

    /// Shard 1's replica cannot write its file (its dbfilename path is a directory, so the final
    /// rename fails; chmod would not stop root) and shard 2's replica is already saving: both are
    /// reported as their shard's failure with the reason, shard 0 completes, the manifest says
    /// incomplete, the exit status is 1, and the drill refuses the incomplete backup.
    @Test(arguments: Engine.allCases)
    func failedAndRefusedBgsaveMarkTheBackupIncomplete(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let work = Self.scratch("failed")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try await Self.waitForReplicas(lab)
        let writer = AckedWriter(seed: lab.seed, slots: Array(stride(from: 0, to: hashSlotCount, by: 5)), keysPerSlot: 1)
        await writer.preload()
        await writer.close()

        // Replica i replicates primary i (LabClusterBuilder); the primaries hold the slots in order.
        let broken = lab.nodes[4], busy = lab.nodes[5]
        // The replica already has a dump.rdb from its first sync (disk-based load): replace it.
        try? FileManager.default.removeItem(atPath: "\(broken.directory)/dump.rdb")
        try FileManager.default.createDirectory(atPath: "\(broken.directory)/dump.rdb/in-the-way", withIntermediateDirectories: true)
        let connection = try await RedisConnection.connect(to: busy.address, options: lab.connectionOptions)
        defer { connection.close() }
        // About 1100 keys at 20 ms each: the busy replica's own save runs for ~20 s.
        let busyReplies = try await connection.send([["CONFIG", "SET", "rdb-key-save-delay", "20000"], ["BGSAVE"]])
        try #require(busyReplies.allSatisfy { $0.errorMessage == nil }, "\(busyReplies)")

        let backup = try await CLI.run(["backup", "\(lab.seed)", "--dir", "\(work)/b", "--yes", "--journal", "\(work)/actions.jsonl"],
                                       timeoutSeconds: 180)
        #expect(backup.status == 1, "backup: \(backup.output) \(backup.errorOutput)")
        #expect(backup.errorOutput.contains("INCOMPLETE"), "\(backup.errorOutput)")
        let manifest = try Self.manifest("\(work)/b/manifest.json")
        #expect(!manifest.complete)
        try #require(manifest.shards.count == 3)
        #expect(manifest.shards[0].status == .saved, "shard 0: \(manifest.shards[0].error ?? "")")
        #expect(manifest.shards[0].sha256 != nil)
        #expect(manifest.shards[1].status == .failed)
        #expect(manifest.shards[1].nodeAddress == broken.address.description)
        #expect(manifest.shards[1].error?.contains("rdb_last_bgsave_status:err") == true, "\(manifest.shards[1].error ?? "")")
        #expect(manifest.shards[2].status == .failed)
        #expect(manifest.shards[2].nodeAddress == busy.address.description)
        #expect(manifest.shards[2].error?.contains("BGSAVE refused") == true, "\(manifest.shards[2].error ?? "")")
        #expect(manifest.problems.count == 2)
        #expect(backup.output.contains("shard 1  \(broken.address)  FAILED"), "\(backup.output)")
        _ = try? await connection.send([["CONFIG", "SET", "rdb-key-save-delay", "0"]])

        let drill = try await CLI.run(["lab", "--restore", "\(work)/b/manifest.json", "--check-only", "--server", try #require(TestServers.binary(engine))])
        #expect(drill.status == 2, "an incomplete backup cannot be restored: \(drill.errorOutput)")
        #expect(drill.errorOutput.contains("incomplete backup cannot be restored"), "\(drill.errorOutput)")
    }

    /// The ACL preflight: a user without +bgsave is refused before any BGSAVE, in one line naming
    /// the rule to add, and no manifest is written; with +bgsave +config|get added it backs up.
    @Test(arguments: Engine.allCases)
    func aUserWithoutBgsaveIsRefusedUpFront(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let work = Self.scratch("acl")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try await Self.waitForReplicas(lab)
        let password = "pw-\(UInt32.random(in: 0...UInt32.max))"
        try await ACLLab.load(lab, ACLUserLines.line(user: "shardtop-nobgsave", password: password, rules: ACLUserLines.operatingRules))
        try await ACLLab.load(lab, ACLUserLines.line(user: "shardtop-backup", password: password,
                                                     rules: ACLUserLines.operatingRules + ["+bgsave", "+config|get"]))
        func backup(_ user: String, _ dir: String) async throws -> CLI.Result {
            try await CLI.run(["backup", "\(lab.seed)", "--user", user, "--dir", "\(work)/\(dir)", "--yes", "--journal", "\(work)/actions.jsonl"],
                              environment: ["SHARDTOP_PASSWORD": password], timeoutSeconds: 120)
        }
        let refused = try await backup("shardtop-nobgsave", "refused")
        #expect(refused.status == 1, "\(refused.output) \(refused.errorOutput)")
        #expect(refused.errorOutput.contains("+bgsave"), "\(refused.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: "\(work)/refused/manifest.json"))
        let allowed = try await backup("shardtop-backup", "allowed")
        #expect(allowed.status == 0, "\(allowed.output) \(allowed.errorOutput)")
        #expect(try Self.manifest("\(work)/allowed/manifest.json").complete)
    }

    // MARK: - Helpers

    static func scratch(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-backup-\(name)-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func manifest(_ path: String) throws -> BackupManifest {
        let data = try #require(FileManager.default.contents(atPath: path), "no manifest at \(path)")
        return try JSONDecoder().decode(BackupManifest.self, from: data)
    }

    /// Every replica's link up, so each shard has a healthy replica to save.
    static func waitForReplicas(_ lab: LabCluster) async throws {
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (snapshot, _) = try await pollUntil(poller, seconds: 30, interval: .milliseconds(200)) { snapshot, _ in
            let replicas = snapshot.nodes.filter { $0.role == .replica }
            return snapshot.state == "ok" && !replicas.isEmpty && replicas.allSatisfy { $0.primaryLinkStatus == "up" && $0.syncInProgress != true }
        }
        await poller.shutdown()
        try #require(snapshot.nodes.filter { $0.role == .replica }.allSatisfy { $0.primaryLinkStatus == "up" })
    }
}
