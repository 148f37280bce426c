import Testing
import ShardtopCore

@Suite struct CapacityCheckTests {
    func snapshot(_ change: (inout [SnapshotNode]) -> Void = { _ in }) -> ClusterSnapshot {
        var snapshot = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(), previous: nil, now: 100)
        for index in snapshot.nodes.indices {
            snapshot.nodes[index].maxMemory = 10_000_000
            snapshot.nodes[index].usedMemory = 5_000_000
            snapshot.nodes[index].maxMemoryPolicy = "allkeys-lru"
            snapshot.nodes[index].evictedKeysPerSec = 0
            snapshot.nodes[index].maxClients = 10_000
        }
        change(&snapshot.nodes)
        return snapshot
    }

    func codes(_ snapshot: ClusterSnapshot, _ thresholds: CapacityThresholds = .default, forecasts: [String: CapacityForecast] = [:]) -> [String] {
        CapacityCheck.findings(snapshot, thresholds: thresholds, forecasts: forecasts).map(\.code)
    }

    @Test func roomyClusterHasNoFindings() {
        #expect(codes(snapshot()).isEmpty)
    }

    @Test func nearlyFullAtTheHeadroomLine() {
        let thresholds = CapacityThresholds(memoryHeadroomPercent: 10)
        #expect(codes(snapshot { $0[0].usedMemory = 8_999_999 }, thresholds).isEmpty)
        let full = snapshot { $0[0].usedMemory = 9_000_000 }
        #expect(codes(full, thresholds) == ["memory-near-max"])
        let finding = CapacityCheck.findings(full, thresholds: thresholds)[0]
        #expect(finding.severity == .warning)
        #expect(finding.message == "primary 127.0.0.1:7001 uses 90% of its maxmemory (8.6 MiB of 9.5 MiB; threshold 90%), policy allkeys-lru")
        // Replicas mirror their primary: counted once, on the primary.
        let replicaFull = snapshot { nodes in
            let replica = nodes.firstIndex { $0.role == .replica }!
            nodes[replica].usedMemory = 9_900_000
        }
        #expect(codes(replicaFull, thresholds).isEmpty)
        #expect(codes(snapshot { $0[0].usedMemory = 8_000_000 }, CapacityThresholds(memoryHeadroomPercent: 25)) == ["memory-near-max"])
    }

    @Test func evictingNowIsAnyEvictionBetweenTwoPolls() {
        #expect(codes(snapshot { $0[0].evictedKeysPerSec = 0.5 }) == ["evicting"])
        #expect(codes(snapshot { $0[0].evictedKeysPerSec = nil }).isEmpty)
    }

    @Test func noMaxmemoryIsOneNoteForAllPrimaries() {
        let unlimited = snapshot { nodes in
            for index in nodes.indices { nodes[index].maxMemory = 0 }
        }
        let findings = CapacityCheck.findings(unlimited)
        #expect(findings.count == 1)
        #expect(findings[0].severity == .info)
        #expect(findings[0].code == "no-maxmemory")
        #expect(findings[0].nodes.count == 3)
        #expect(findings[0].message.hasPrefix("3 primaries have no maxmemory (127.0.0.1:7001, 127.0.0.1:7002, 127.0.0.1:7003)"))
        // Not known (an old fixture, a node that never answered): no note.
        #expect(codes(snapshot { nodes in for index in nodes.indices { nodes[index].maxMemory = nil } }).isEmpty)
    }

    @Test func fillForecastWithinTheThreshold() {
        let base = snapshot()
        let id = base.nodes[0].id
        let soon = CapacityForecast(memory: RateEstimate(perSecond: 100, low: 90, high: 110), keys: nil,
                                    fill: .fills(inSeconds: 3600, soonest: 3000, latest: 4000), latest: nil)
        #expect(codes(base, CapacityThresholds(fillWithinSeconds: 3600), forecasts: [id: soon]) == ["fill-forecast"])
        #expect(codes(base, CapacityThresholds(fillWithinSeconds: 3599), forecasts: [id: soon]).isEmpty)
        // Growth not told from noise (the low end is no growth): no finding, however soon the middle.
        let unsure = CapacityForecast(memory: RateEstimate(perSecond: 100, low: -5, high: 205), keys: nil,
                                      fill: .fills(inSeconds: 60, soonest: 30, latest: nil), latest: nil)
        #expect(codes(base, forecasts: [id: unsure]).isEmpty)
        #expect(CapacityThresholds.default.fillWithinSeconds == 86_400)
    }

    @Test func clientsNearMaxclients() {
        #expect(codes(snapshot { $0[0].clients = 9_000 }) == ["clients-near-max"])
        #expect(codes(snapshot { $0[0].clients = 8_999 }).isEmpty)
    }
}
