import Testing
import ShardtopCore

@Suite struct PersistenceCheckTests {
    /// The 3x1 fake cluster, its nodes given persistence as a redis with default save rules shows it.
    func snapshot(_ change: (inout [SnapshotNode]) -> Void = { _ in }) -> ClusterSnapshot {
        var snapshot = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(), previous: nil, now: 100)
        for index in snapshot.nodes.indices {
            var persistence = PersistenceInfo()
            persistence.rdbSaveConfigured = true
            persistence.rdbLastBgsaveStatus = .ok
            persistence.rdbLastSaveAgeSeconds = 60
            persistence.rdbChangesSinceLastSave = 10
            persistence.aofEnabled = false
            persistence.aofLastWriteStatus = .ok
            snapshot.nodes[index].persistence = persistence
        }
        change(&snapshot.nodes)
        return snapshot
    }

    func codes(_ snapshot: ClusterSnapshot, _ thresholds: PersistenceThresholds = .default) -> [String] {
        PersistenceCheck.findings(snapshot, thresholds: thresholds).map(\.code)
    }

    @Test func healthyPersistenceHasNoFindings() {
        #expect(codes(snapshot()).isEmpty)
        #expect(ClusterCheck.findings(snapshot()).isEmpty)
    }

    @Test func failedBackgroundSaveIsAnErrorOnThatNode() {
        let failed = snapshot { $0[1].persistence?.rdbLastBgsaveStatus = .failed }
        let findings = ClusterCheck.findings(failed)
        #expect(findings.map(\.code) == ["bgsave-failed"])
        #expect(findings.first?.severity == .error)
        #expect(findings.first?.nodes == [failed.nodes[1].id])
        // It blocks migrations: the target of a MIGRATE would refuse the RESTORE (MISCONF).
        #expect(ActionPreconditions.blockingProblems(failed).map(\.code) == ["bgsave-failed"])
    }

    @Test func aofWriteErrorOnlyCountsWithAOFOn() {
        let on = snapshot {
            $0[0].persistence?.aofEnabled = true
            $0[0].persistence?.aofLastWriteStatus = .failed
        }
        #expect(codes(on) == ["aof-write-error"])
        let off = snapshot { $0[0].persistence?.aofLastWriteStatus = .failed }
        #expect(codes(off).isEmpty)
    }

    @Test func saveOverdueThreshold() {
        let thresholds = PersistenceThresholds(saveAgeSeconds: 3600)
        let atThreshold = snapshot { $0[0].persistence?.rdbLastSaveAgeSeconds = 3600 }
        #expect(codes(atThreshold, thresholds).isEmpty)
        let past = snapshot { $0[0].persistence?.rdbLastSaveAgeSeconds = 3601 }
        #expect(codes(past, thresholds) == ["save-overdue"])
        #expect(PersistenceCheck.findings(past, thresholds: thresholds).first?.message
            == "127.0.0.1:7001: no successful save for 1h00m (threshold 1h00m) with 10 changes unsaved")
        // Nothing changed since: nothing to lose, however old the save.
        let idle = snapshot {
            $0[0].persistence?.rdbLastSaveAgeSeconds = 99_999
            $0[0].persistence?.rdbChangesSinceLastSave = 0
        }
        #expect(codes(idle, thresholds).isEmpty)
        // RDB off, or not known to be on (no CONFIG GET): not this finding.
        for configured in [false, nil] as [Bool?] {
            let unknown = snapshot {
                $0[0].persistence?.rdbLastSaveAgeSeconds = 99_999
                $0[0].persistence?.rdbSaveConfigured = configured
            }
            #expect(codes(unknown, thresholds).isEmpty)
        }
        #expect(PersistenceThresholds.default.saveAgeSeconds == 7200)
    }

    @Test func noPersistenceMattersOnlyWithoutAHealthyReplica() {
        let noPersistence: (inout [SnapshotNode]) -> Void = { nodes in
            for index in nodes.indices { nodes[index].persistence?.rdbSaveConfigured = false }
        }
        // A lab: no save rules, AOF off, but every shard has a healthy replica.
        #expect(codes(snapshot(noPersistence)).isEmpty)
        var lonely = snapshot(noPersistence)
        let replica = lonely.nodes.firstIndex { $0.primaryId == lonely.nodes[0].id }!
        lonely.nodes[replica].primaryLinkStatus = "down"
        let findings = PersistenceCheck.findings(lonely)
        #expect(findings.map(\.code) == ["no-persistence-no-replica"])
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.message.hasPrefix("primary 127.0.0.1:7001 has no persistence") == true)
        // AOF on is persistence; unknown save rules with AOF off is not judged.
        var aof = lonely
        aof.nodes[0].persistence?.aofEnabled = true
        #expect(codes(aof).isEmpty)
        var unknown = lonely
        unknown.nodes[0].persistence?.rdbSaveConfigured = nil
        #expect(codes(unknown).isEmpty)
    }
}
