import Foundation
import ShardtopCore
import Testing
@testable import ShardtopRedis

// Fixtures captured with `redis-cli INFO server clients memory persistence stats replication cpu
// keyspace` from a redis-server 7.0.15 and a valkey-server 9.1.2, each a one-node cluster owning
// every slot: *-save-failed after a BGSAVE whose rename was blocked (dump.rdb made a non-empty
// directory), *-near-full with maxmemory 6mb, allkeys-lru and a writer past it, *-aof-rewrite right
// after CONFIG SET appendonly yes, *-bgsave-running during a BGSAVE slowed by rdb-key-save-delay.
// Expectations were read off the fixture text by hand.

private func info(_ name: String) throws -> ServerInfo {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures"))
    return ServerInfoParser.parse(try String(contentsOf: url, encoding: .utf8))
}

@Suite struct PersistenceInfoParserTests {
    @Test(arguments: [("redis7-info-save-failed", 1_796_368_534 as Int64, 26 as Int64, 533 as Int64), ("valkey9-info-save-failed", 1_796_368_536, 24, 323)])
    func failedBackgroundSave(name: String, lastSave: Int64, age: Int64, fork: Int64) throws {
        let persistence = try info(name).persistence
        #expect(persistence.rdbLastBgsaveStatus == .failed)
        #expect(persistence.rdbLastSaveTime == lastSave)
        // server_time_usec 1796368560.8 (redis) / .9 (valkey) minus the last save.
        #expect(persistence.rdbLastSaveAgeSeconds == age)
        #expect(persistence.rdbChangesSinceLastSave == 0)
        #expect(persistence.rdbBgsaveInProgress == false)
        #expect(persistence.rdbLastBgsaveSeconds == 0)
        #expect(persistence.latestForkMicros == fork)
        #expect(persistence.aofEnabled == false)
        #expect(persistence.aofLastWriteStatus == .ok)
        #expect(persistence.aofLastRewriteStatus == .ok)
        #expect(!persistence.loading)
        // INFO cannot say whether save rules exist: that is CONFIG GET's to tell.
        #expect(persistence.rdbSaveConfigured == nil)
    }

    @Test func nearFullAndEvicting() throws {
        let redis = try info("redis7-info-near-full")
        #expect(redis.usedMemory == 5_194_936)
        #expect(redis.maxMemory == 6_291_456)
        #expect(redis.maxMemoryPolicy == "allkeys-lru")
        #expect(redis.fragmentationRatio == 3.30)
        #expect(redis.evictedKeysTotal == 64_515)
        #expect(redis.expiredKeysTotal == 50)
        #expect(redis.connectedClients == 1)
        #expect(redis.maxClients == 10_000)
        #expect(redis.persistence.rdbChangesSinceLastSave == 80_050)
        #expect(redis.persistence.rdbLastBgsaveStatus == .ok)

        let valkey = try info("valkey9-info-near-full")
        #expect(valkey.usedMemory == 6_221_088)
        #expect(valkey.maxMemory == 6_291_456)
        #expect(valkey.maxMemoryPolicy == "allkeys-lru")
        #expect(valkey.fragmentationRatio == 1.96)
        #expect(valkey.evictedKeysTotal == 67_384)
        #expect(valkey.maxClients == 10_000)
        #expect(valkey.persistence.latestForkMicros == 277)
    }

    @Test(arguments: ["redis7-info-aof-rewrite", "valkey9-info-aof-rewrite"])
    func aofRewriteRunning(name: String) throws {
        let persistence = try info(name).persistence
        #expect(persistence.aofEnabled == true)
        #expect(persistence.aofRewriteInProgress == true)
        #expect(persistence.aofLastWriteStatus == .ok)
        #expect(persistence.isPersistent == true)
    }

    @Test(arguments: ["redis7-info-bgsave-running", "valkey9-info-bgsave-running"])
    func backgroundSaveRunning(name: String) throws {
        let persistence = try info(name).persistence
        #expect(persistence.rdbBgsaveInProgress == true)
        #expect(persistence.aofRewriteInProgress == false)
        #expect(persistence.rdbLastBgsaveStatus == .ok)
    }

    @Test func loadingProgress() throws {
        let loading = try info("redis7-info-replica-loading").persistence
        #expect(loading.loading)
        #expect(loading.loadingPercent == 4.62)
        #expect(loading.loadingEtaSeconds == 1)
        // -1: no background save yet.
        #expect(loading.rdbLastBgsaveSeconds == nil)
        #expect(loading.latestForkMicros == 0)
        let idle = try info("redis7-info-primary").persistence
        #expect(!idle.loading)
        #expect(idle.loadingPercent == nil)
    }

    @Test func writeErrorsAndOddValues() {
        let parsed = ServerInfoParser.parse("""
            aof_enabled:1\r
            aof_last_write_status:err\r
            aof_last_bgrewrite_status:err\r
            rdb_last_bgsave_status:maybe\r
            rdb_bgsave_in_progress:2\r
            rdb_changes_since_last_save:-5\r
            evicted_keys:-1\r
            maxclients:lots\r
            mem_fragmentation_ratio:inf\r
            rdb_last_save_time:-9223372036854775808\r
            server_time_usec:9223372036854775807\r

            """)
        #expect(parsed.persistence.aofLastWriteStatus == .failed)
        #expect(parsed.persistence.aofLastRewriteStatus == .failed)
        #expect(parsed.persistence.rdbLastBgsaveStatus == nil)
        #expect(parsed.persistence.rdbBgsaveInProgress == nil)
        #expect(parsed.persistence.rdbChangesSinceLastSave == nil)
        #expect(parsed.evictedKeysTotal == nil)
        #expect(parsed.maxClients == nil)
        #expect(parsed.fragmentationRatio == nil)
        #expect(parsed.persistence.rdbLastSaveAgeSeconds == nil)
    }

    @Test func saveRulesAnswer() {
        #expect(SaveRulesAnswer.from(.array([.bulkString(Array("save".utf8)), .bulkString(Array("3600 1 300 100".utf8))])) == .rules("3600 1 300 100"))
        #expect(SaveRulesAnswer.from(.map([RESPPair(key: .bulkString(Array("save".utf8)), value: .bulkString([]))])) == .rules(""))
        #expect(SaveRulesAnswer.from(.error("NOPERM User watch has no permissions to run the 'config|get' command")) == .refused)
        #expect(SaveRulesAnswer.rules("").configured == false)
        #expect(SaveRulesAnswer.rules("3600 1").configured == true)
        #expect(SaveRulesAnswer.refused.configured == nil)
    }
}
