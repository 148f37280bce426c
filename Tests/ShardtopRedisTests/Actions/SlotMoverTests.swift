import Testing
@testable import ShardtopRedis

/// The target's claim of a round: only the first and the last slot are claimed while still
/// marked IMPORTING (the first bumps the epoch, the last broadcasts the new slot set); the slots
/// between are made STABLE right before their NODE, so the target sends no PONG for them.
@Suite struct SlotMoverTests {
    @Test func aRoundIsClaimedWithTwoImportingClaims() {
        let commands = SlotMover.claimCommands([10, 11, 12, 13], targetId: "t")
        #expect(commands == [
            ["CLUSTER", "SETSLOT", "10", "NODE", "t"],
            ["CLUSTER", "SETSLOT", "11", "STABLE"], ["CLUSTER", "SETSLOT", "11", "NODE", "t"],
            ["CLUSTER", "SETSLOT", "12", "STABLE"], ["CLUSTER", "SETSLOT", "12", "NODE", "t"],
            ["CLUSTER", "SETSLOT", "13", "NODE", "t"],
        ])
    }

    @Test func oneOrTwoSlotsAreClaimedPlainly() {
        #expect(SlotMover.claimCommands([7], targetId: "t") == [["CLUSTER", "SETSLOT", "7", "NODE", "t"]])
        #expect(SlotMover.claimCommands([7, 9], targetId: "t") == [
            ["CLUSTER", "SETSLOT", "7", "NODE", "t"], ["CLUSTER", "SETSLOT", "9", "NODE", "t"],
        ])
        #expect(SlotMover.claimCommands([], targetId: "t").isEmpty)
    }

    @Test func everySlotIsClaimedOnceAndInOrder() {
        let slots = Array(100..<162)
        let claims = SlotMover.claimCommands(slots, targetId: "t").filter { $0[3] == "NODE" }.map { Int($0[2])! }
        #expect(claims == slots)
        #expect(SlotMover.claimCommands(slots, targetId: "t").filter { $0[3] == "STABLE" }.count == slots.count - 2)
    }
}
