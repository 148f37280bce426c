import Testing
@testable import ShardtopRedis

/// The legacy path's round size: about 10,000 keys a round, between 16 and 256 slots, unless given.
@Suite struct MigrationSettingsTests {
    @Test func roundsAreSizedFromTheSurveyedKeys() {
        let automatic = MigrationSettings()
        // 500 slots of 160 keys: 62 slots, about 9,900 keys, a round.
        #expect(automatic.slotsPerRound(keys: 80_000, slots: 500) == 62)
        // Empty or nearly empty slots: the upper bound.
        #expect(automatic.slotsPerRound(keys: 0, slots: 500) == 256)
        #expect(automatic.slotsPerRound(keys: 10, slots: 5000) == 256)
        // Heavy slots keep 16 a round, so each pass still pipelines 16 MIGRATEs.
        #expect(automatic.slotsPerRound(keys: 5_000_000, slots: 100) == 16)
        // Not surveyed: the old fixed size.
        #expect(automatic.slotsPerRound(keys: nil, slots: 500) == 16)
        #expect(automatic.slotsPerRound(keys: 100, slots: 0) == 16)
    }

    @Test func aGivenSizeWins() {
        #expect(MigrationSettings(slotsPerRound: 4).slotsPerRound(keys: 0, slots: 500) == 4)
        #expect(MigrationSettings(slotsPerRound: 0).slotsPerRound(keys: 0, slots: 500) == 1)
    }
}
