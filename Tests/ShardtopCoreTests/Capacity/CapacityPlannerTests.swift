import Testing
import ShardtopCore

@Suite struct CapacityPlannerTests {
    /// Three primaries of 4 MB (maxmemory 5 MB), one key in every slot (every slot counted, as
    /// SLOT-STATS does), so a primary's keys are its slot count.
    func cluster(maxMemory: Int64? = 5_000_000) -> (ClusterSnapshot, [Int: Int]) {
        var snapshot = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(), previous: nil, now: 100)
        for index in snapshot.nodes.indices where snapshot.nodes[index].isPrimary {
            snapshot.nodes[index].usedMemory = 4_000_000
            snapshot.nodes[index].keys = Int64(snapshot.nodes[index].slotCount)
            snapshot.nodes[index].maxMemory = maxMemory
        }
        return (snapshot, Dictionary(uniqueKeysWithValues: (0..<hashSlotCount).map { ($0, 1) }))
    }

    @Test func headroomAgainstMaxmemorySaysHowManyPrimaries() throws {
        let (snapshot, slotKeys) = cluster()
        // 12 MB of data; 5 MB with 20% free is 4 MB a primary: 3 already suffice.
        let enough = try CapacityPlanner.plan(snapshot, goal: CapacityGoal(headroomPercent: 20), slotKeys: slotKeys)
        #expect(enough.needed == 3)
        #expect(enough.adding == 0)
        #expect(enough.moves.isEmpty)
        #expect(enough.usableMemory == 4_000_000)
        // 50% free: 2.5 MB a primary, 12 / 2.5 = 4.8, so 5 primaries: add 2.
        let more = try CapacityPlanner.plan(snapshot, goal: CapacityGoal(headroomPercent: 50), slotKeys: slotKeys)
        #expect(more.needed == 5)
        #expect(more.adding == 2)
        #expect(Set(more.moves.map(\.toId)) == [CapacityPlanner.newPrimaryID(1), CapacityPlanner.newPrimaryID(2)])
        // Even slots over five primaries: each new one gets about 16384 / 5.
        for id in [CapacityPlanner.newPrimaryID(1), CapacityPlanner.newPrimaryID(2)] {
            let slots = more.moves.filter { $0.toId == id }.reduce(0) { $0 + $1.slots.count }
            #expect(abs(slots - 16384 / 5) <= 2)
        }
        #expect(more.largestAfter < 4_000_000)
        #expect(more.seconds > 0)
        #expect(more.moves.allSatisfy { $0.path == .legacy && $0.keys != nil && $0.bytes != nil })
    }

    @Test func bytesAndKeysFollowTheCountedSlots() throws {
        let (snapshot, slotKeys) = cluster()
        let plan = try CapacityPlanner.plan(snapshot, goal: CapacityGoal(addPrimaries: 1), slotKeys: slotKeys)
        #expect(plan.adding == 1)
        for move in plan.moves {
            let keys = move.slots.reduce(0) { $0 + (slotKeys[$1] ?? 0) }
            #expect(move.keys == keys)
            #expect(keys == move.slots.count)
            // 4 MB over the source's keys.
            let sourceKeys = Double(snapshot.node(id: move.fromId)?.keys ?? 0)
            #expect(move.bytes == Int64((Double(keys) * 4_000_000 / sourceKeys).rounded()))
            #expect(move.seconds == Double(move.slots.count) * 0.002 + Double(keys) / 60_000)
        }
        #expect(plan.keysMoved == plan.moves.reduce(0) { $0 + ($1.keys ?? 0) })
    }

    @Test func uncountedSlotsTakeTheirOwnersMean() throws {
        let (snapshot, _) = cluster()
        // A COUNTKEYSINSLOT sample: every 4th slot, 8 keys each.
        let sample = Dictionary(uniqueKeysWithValues: stride(from: 0, to: hashSlotCount, by: 4).map { ($0, 8) })
        let plan = try CapacityPlanner.plan(snapshot, goal: CapacityGoal(addPrimaries: 1), slotKeys: sample)
        for move in plan.moves { #expect(move.keys == move.slots.count * 8) }
    }

    @Test func targetMemoryWithoutMaxmemory() throws {
        let (snapshot, _) = cluster(maxMemory: 0)
        #expect(throws: CapacityPlanner.PlanError.noBudget) { try CapacityPlanner.plan(snapshot, goal: CapacityGoal(headroomPercent: 20)) }
        let plan = try CapacityPlanner.plan(snapshot, goal: CapacityGoal(targetMemory: 2_000_000))
        #expect(plan.needed == 6)
        #expect(plan.adding == 3)
        #expect(plan.smallestMaxMemory == nil)
        // Without counted keys the moves still come, with bytes estimated per slot and keys unknown.
        #expect(plan.moves.allSatisfy { $0.keys == nil && $0.bytes == nil })
        #expect(plan.keysMoved == nil)
        // Adding primaries needs no budget at all.
        #expect(try CapacityPlanner.plan(snapshot, goal: CapacityGoal(addPrimaries: 2)).needed == nil)
    }
}

@Suite struct ByteSizeTests {
    @Test func redisUnits() throws {
        #expect(try ByteSize.parse("100") == 100)
        #expect(try ByteSize.parse("1k") == 1000)
        #expect(try ByteSize.parse("1kb") == 1024)
        #expect(try ByteSize.parse("512MB") == 512 * 1024 * 1024)
        #expect(try ByteSize.parse("1.5g") == 1_500_000_000)
        #expect(try ByteSize.parse("4gb") == 4 * 1024 * 1024 * 1024)
        #expect(try ByteSize.parse("2tb") == 2 << 40)
        #expect(try ByteSize.parse("10b") == 10)
    }

    @Test(arguments: ["", "mb", "-1mb", "0", "1e3", "inf", "nan", "12 apples", "1.2.3gb", "5000tb", "0.1"])
    func badSizesSayWhy(text: String) {
        #expect(throws: ByteSize.ParseError.self) { try ByteSize.parse(text) }
    }
}
