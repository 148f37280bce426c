import ShardtopCore
@testable import ShardtopUI

/// States for the capacity screen (8): a 3x1 cluster polled once a second for a minute, its
/// persistence and memory numbers taken from INFO captured on real servers
/// (Tests/ShardtopRedisTests/Fixtures/*-info-{near-full,save-failed,bgsave-running,aof-rewrite}.txt,
/// redis-server 7.0.15 and valkey-server 9.1.2, parsed by PersistenceInfoParserTests): maxmemory
/// 6291456 with allkeys-lru, fork times 487 and 277 us, fragmentation 3.30 and 1.96, the failed
/// save's status and age, the evicted counters 64515 and 67384.
enum CapacityScreenFixtures {
    static let maxMemory: Int64 = 6_291_456
    static let ticks = 60

    enum Kind {
        case healthy
        case failingSave
        case nearFull
    }

    static func build(_ kind: Kind) -> AppState {
        let members = ScreenFixtures.cluster(primaries: 3, replicas: 1)
        var state = AppState()
        state.width = 80
        state.height = 24
        state.now = ScreenFixtures.time
        state.seedText = "10.0.0.1:7000"
        var previous: ClusterSnapshot?
        for tick in 0..<ticks {
            let time = ScreenFixtures.time - Double(ticks - 1 - tick)
            let reports = ScreenFixtures.reports(members, at: time) { member, info in
                adjust(kind, member: member, index: members.firstIndex { $0.id == member.id } ?? 0, tick: tick, info: &info)
            }
            let snapshot = SnapshotAssembler.assemble(reports: reports, previous: previous, now: time)
            _ = Reducer.reduce(&state, .snapshotArrived(snapshot, []))
            previous = snapshot
        }
        return state
    }

    /// Shard 1 grows 40 bytes a second (near-full: 20 kB), shard 2 is flat, shard 3 grows 15 B/s,
    /// each with a little noise; near-full puts shard 2 at valkey's captured 6221088 bytes and
    /// evicting, failing-save gives the second primary the captured failed BGSAVE.
    static func adjust(_ kind: Kind, member: ScreenFixtures.Member, index: Int, tick: Int, info: inout ServerInfo) {
        let shard = member.primary.map { primary in ScreenFixtures.cluster(primaries: 3, replicas: 1).firstIndex { $0.id == primary } ?? 0 } ?? index
        let noise = Int64(tick % 3 == 0 ? 3_000 : tick % 3 == 1 ? -2_000 : 0)
        // Healthy growth fills nothing within a day; near-full's first shard fills in minutes.
        let growth: Int64 = kind == .nearFull ? 20_000 : 40
        var used: Int64 = [1_900_000 + Int64(tick) * growth + noise, 2_600_000 + noise, 2_200_000 + Int64(tick) * 15 + noise][shard]
        var evicted: Int64 = 0
        if kind == .nearFull && shard == 1 {
            used = 6_221_088 + noise
            evicted = 67_384 + Int64(tick) * 1_200
        }
        info.usedMemory = used
        info.maxMemory = maxMemory
        info.maxMemoryPolicy = "allkeys-lru"
        info.fragmentationRatio = shard == 1 ? 3.30 : 1.96
        info.evictedKeysTotal = evicted
        info.expiredKeysTotal = 50 + Int64(tick)
        info.maxClients = 10_000
        info.keys = 10_000 + Int64(tick) * (shard == 0 ? 40 : 2)

        var persistence = PersistenceInfo()
        persistence.rdbSaveConfigured = true
        persistence.rdbLastSaveTime = 1_796_368_563
        persistence.rdbLastSaveAgeSeconds = 240 + Int64(tick)
        persistence.rdbChangesSinceLastSave = 80_050 + Int64(tick) * 100
        persistence.rdbBgsaveInProgress = false
        persistence.rdbLastBgsaveStatus = .ok
        persistence.rdbLastBgsaveSeconds = 0
        persistence.latestForkMicros = member.primary == nil ? 487 : 277
        persistence.aofEnabled = index == 0
        persistence.aofRewriteInProgress = false
        persistence.aofLastWriteStatus = .ok
        persistence.aofLastRewriteStatus = .ok
        if kind == .failingSave && index == 1 {
            persistence.rdbLastBgsaveStatus = .failed
            persistence.rdbLastSaveAgeSeconds = 26 + Int64(tick)
            persistence.latestForkMicros = 533
        }
        if kind == .healthy && index == 2 {
            persistence.rdbBgsaveInProgress = true
            persistence.latestForkMicros = 9_679
        }
        info.persistence = persistence
    }

    static let healthyBase = build(.healthy)
    static let failingSaveBase = build(.failingSave)
    static let nearFullBase = build(.nearFull)

    static let all: [(name: String, base: AppState)] = [
        ("durable-healthy", healthyBase), ("failing-save", failingSaveBase), ("near-full", nearFullBase),
    ]
}
