import Testing
import ShardtopCore

@Suite struct BackupSourceChoiceTests {
    let cluster = FakeCluster.threeByOne()

    func snapshot(_ cluster: FakeCluster, unreachable: Set<String> = []) -> ClusterSnapshot {
        SnapshotAssembler.assemble(reports: cluster.reports(time: 1, unreachable: unreachable), previous: nil, now: 1)
    }

    @Test func eachShardIsSavedByItsCaughtUpReplicaInSlotOrder() {
        let targets = BackupSourceChoice.targets(snapshot(cluster), from: .replicas, thresholds: .default)
        #expect(targets.map(\.shard) == [0, 1, 2])
        #expect(targets.map { $0.node?.id } == ["d".padded, "e".padded, "f".padded])
        #expect(targets.map(\.primary.id) == ["a".padded, "b".padded, "c".padded])
        #expect(targets.allSatisfy { $0.fallbackReason == nil && $0.problem == nil })
        #expect(targets[1].slots == [SlotRange(5461, 10922)])
    }

    @Test func aShardWithoutAHealthyReplicaFallsBackToItsPrimaryAndSaysWhy() {
        var lagging = cluster
        lagging.members[1].offset = 5_000_000  // its replica is ~5 MB behind
        let targets = BackupSourceChoice.targets(snapshot(lagging, unreachable: ["f".padded]), from: .replicas, thresholds: .default)
        #expect(targets[0].node?.id == "d".padded)
        #expect(targets[1].node?.id == "b".padded)
        #expect(targets[1].fallbackReason?.contains("bytes behind") == true, "\(targets[1].fallbackReason ?? "")")
        #expect(targets[2].node?.id == "c".padded)
        #expect(targets[2].fallbackReason?.contains("not answering") == true, "\(targets[2].fallbackReason ?? "")")
        #expect(targets[2].fallbackReason?.contains("Optional") == false)
    }

    @Test func fromPrimariesSavesOnThePrimariesWithoutAFallbackNote() {
        let targets = BackupSourceChoice.targets(snapshot(cluster), from: .primaries, thresholds: .default)
        #expect(targets.map { $0.node?.id } == ["a".padded, "b".padded, "c".padded])
        #expect(targets.allSatisfy { $0.fallbackReason == nil })
    }

    @Test func aShardWhoseNodesAllFailHasNoSaverAndAProblem() {
        let targets = BackupSourceChoice.targets(snapshot(cluster, unreachable: ["a".padded, "d".padded]), from: .replicas, thresholds: .default)
        #expect(targets[0].node == nil)
        #expect(targets[0].problem?.contains("primary 127.0.0.1:7001") == true, "\(targets[0].problem ?? "")")
    }

    @Test func permissionsCoverTheSaverAndInfoOnTheSparedPrimary() {
        let targets = BackupSourceChoice.targets(snapshot(cluster), from: .replicas, thresholds: .default)
        let touches = BackupPermissions.touches(targets)
        #expect(touches.count == 6)
        #expect(touches[0].requirements.map(\.rule) == ["+info", "+bgsave", "+config|get"])
        #expect(touches[1].requirements.map(\.rule) == ["+info"])
    }
}

@Suite struct BackupCopyTemplateTests {
    @Test func placeholdersAreFilledInsideTheirOwnArgument() throws {
        let template = try BackupCopyTemplate(parsing: "scp {host}:{path} {dest}")
        let arguments = template.expand(host: "10.0.0.5", port: 6379, id: "abc", path: "/var/lib/redis/dump 1.rdb; rm -rf /", dest: "/b/shard-00.rdb")
        #expect(arguments == ["scp", "10.0.0.5:/var/lib/redis/dump 1.rdb; rm -rf /", "/b/shard-00.rdb"])
    }

    @Test func aValueThatLooksLikeAPlaceholderIsNotExpandedAgain() throws {
        let template = try BackupCopyTemplate(parsing: "cp {path} {dest}")
        #expect(template.expand(host: "h", port: 1, id: "i", path: "{dest}", dest: "d") == ["cp", "{dest}", "d"])
    }

    @Test func badTemplatesAreRefusedWithTheReason() {
        #expect(throws: BackupCopyTemplateError.empty) { try BackupCopyTemplate(parsing: "  ") }
        #expect(throws: BackupCopyTemplateError.unknownPlaceholder("{file}")) { try BackupCopyTemplate(parsing: "scp {file} {dest}") }
        #expect(throws: BackupCopyTemplateError.placeholderInProgram("{host}")) { try BackupCopyTemplate(parsing: "{host} {dest}") }
        #expect(throws: BackupCopyTemplateError.noDestination) { try BackupCopyTemplate(parsing: "scp {host}:{path} /tmp") }
    }
}

@Suite struct RestoreVerdictTests {
    @Test func slotsAndKeysMustBothMatch() {
        let same = RestoreVerdict.ShardCheck(shard: 0, node: "n", expectedSlots: [SlotRange(0, 99), SlotRange(100, 199)],
                                             actualSlots: [SlotRange(0, 199)], expectedKeys: 10, actualKeys: 10)
        #expect(same.ok)
        var fewerKeys = same
        fewerKeys.actualKeys = 9
        #expect(!fewerKeys.ok)
        #expect(fewerKeys.line.contains("keys DIFFER: manifest 10, restored 9"))
        var otherSlots = same
        otherSlots.actualSlots = [SlotRange(0, 198)]
        #expect(!otherSlots.ok)
        #expect(otherSlots.line.contains("slots DIFFER"))
        #expect(RestoreVerdict(shards: [same]).ok)
        #expect(!RestoreVerdict(shards: [same, fewerKeys]).ok)
        #expect(!RestoreVerdict(shards: []).ok)
        #expect(RestoreVerdict(shards: [same, fewerKeys]).lines.last == "restore drill: MISMATCH in 1 of 2 shards")
    }

    @Test func progressCountsFinishedAndFailedShards() {
        var progress = BackupProgress(shards: (0..<3).map { BackupProgress.Shard(shard: $0, node: "n\($0)", role: "replica", phase: .waiting) })
        progress.shards[0].phase = .done(seconds: 1.25)
        progress.shards[1].phase = .failed("BGSAVE refused: busy")
        #expect(progress.finished == 2)
        #expect(progress.failed == 1)
        #expect(progress.summary == "backup: 2/3 shards finished, 1 failed")
        #expect(progress.shards[0].line == "shard 0  n0 (replica)  done in 1.3 s")
    }
}
