import Testing
import ShardtopCore

/// `migrate --slots`: repeated and overlapping ranges become their union, and the plan says so.
@Suite struct SlotRangeListTests {
    @Test func repeatedSlotIsTakenOnce() throws {
        let list = try SlotRangeList.parse("7,7")
        #expect(list.ranges == [SlotRange(7, 7)])
        #expect(list.slotCount == 1)
        #expect(list.overlapped)
        #expect(list.description == "slots 7 (given as 7,7: overlapping ranges merged)")
    }

    @Test func overlappingRangesAreMergedAndSaid() throws {
        let list = try SlotRangeList.parse("0-20,10-30")
        #expect(list.ranges == [SlotRange(0, 30)])
        #expect(list.description == "slots 0-30 (given as 0-20,10-30: overlapping ranges merged)")
        #expect(try SlotRangeList.parse("100-200,0-5,150-160,3").ranges == [SlotRange(0, 5), SlotRange(100, 200)])
    }

    @Test func touchingRangesJoinWithoutANote() throws {
        let list = try SlotRangeList.parse("0-20, 21-30")
        #expect(list.ranges == [SlotRange(0, 30)])
        #expect(!list.overlapped)
        #expect(list.description == "slots 0-30")
    }

    @Test func badRangesAreRefused() {
        for text in ["", ",", "16384", "-1", "5-", "1-2-3", "a", "99999999999999999999", "9-3"] {
            #expect(throws: SlotRangeList.ParseError.self, "\(text)") { try SlotRangeList.parse(text) }
        }
    }

    @Test func aPlanHoldsEachSlotOnce() throws {
        var cluster = FakeCluster.threeByOne()
        cluster.members[0].slots = [SlotRange(0, 5460)]
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(), previous: nil, now: 1)
        let target = "b".padded
        let plans = try MigrationPlanner.plans(snapshot, slots: [SlotRange(7, 7), SlotRange(7, 7), SlotRange(5, 9)], to: target)
        #expect(plans.map(\.slots) == [[5, 6, 7, 8, 9]])
        let direct = MigrationPlanner.plan(source: snapshot.node(id: "a".padded)!, target: snapshot.node(id: target)!, slots: [9, 7, 7, 8])
        #expect(direct.slots == [7, 8, 9])
    }
}
