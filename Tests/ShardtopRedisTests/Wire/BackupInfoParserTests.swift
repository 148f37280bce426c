import Testing
@testable import ShardtopRedis

@Suite struct BackupInfoParserTests {
    @Test func readsTheFieldsABackupFollowsOnAReplica() {
        let text = """
        # Persistence\r
        loading:0\r
        rdb_bgsave_in_progress:1\r
        rdb_last_save_time:1796368484\r
        rdb_last_bgsave_status:err\r
        # Replication\r
        role:slave\r
        master_link_status:up\r
        slave_repl_offset:4242\r
        master_repl_offset:4300\r
        # Keyspace\r
        db0:keys=1234,expires=5,avg_ttl=0\r

        """
        let info = BackupInfoParser.parse(text)
        #expect(info.bgsaveInProgress == true)
        #expect(info.lastBgsaveStatus == "err")
        #expect(info.lastSaveTime == 1_796_368_484)
        #expect(info.role == "slave")
        #expect(info.primaryLinkUp == true)
        #expect(info.dataOffset == 4242, "a replica's data is what it applied, not what it received")
        #expect(info.keys == 1234)
    }

    @Test func aPrimaryUsesItsOwnOffsetAndMissingFieldsAreNil() {
        let info = BackupInfoParser.parse("role:master\nmaster_repl_offset:99\n")
        #expect(info.dataOffset == 99)
        #expect(info.bgsaveInProgress == nil)
        #expect(info.lastBgsaveStatus == nil)
        #expect(info.keys == 0)
    }

    @Test func hostileKeyCountsSaturateInsteadOfTrapping() {
        let info = BackupInfoParser.parse("db0:keys=9223372036854775807\ndb1:keys=5\ndb2:keys=-3\n")
        #expect(info.keys == .max)
    }
}
