import Testing
import ShardtopCore

/// `SlotOwners` must read, write and compare exactly as the `[String?]` it replaced.
@Suite struct SlotOwnersTests {
    @Test func readsAsTheTableItWasMadeFrom() {
        let plain: [String?] = ["a", "a", nil, "b", "a", nil]
        let owners = SlotOwners(plain)
        #expect(Array(owners) == plain)
        #expect(owners.count == 6)
        #expect(owners.coveredCount == 4)
        #expect(owners[3] == "b")
        #expect(owners.indices.filter { owners[$0] == nil } == [2, 5])
        #expect(SlotOwners().count == hashSlotCount)
        #expect(SlotOwners().coveredCount == 0)
        #expect(([] as SlotOwners).isEmpty)
    }

    @Test func equalityIsSlotBySlotWhateverTheNumbering() {
        // The same owners met in another order number differently inside.
        let one = SlotOwners(["a", "b", nil, "b"])
        let other = SlotOwners([nil, "b", "a", "b"])
        var reordered = other
        reordered[0] = "a"
        reordered[2] = nil
        #expect(one == reordered)
        #expect(one != other)
        #expect(SlotOwners(["a"]) != SlotOwners(["a", nil]))
        #expect(SlotOwners(["a", "b"]) != SlotOwners(["a", "c"]))
        #expect(SlotOwners([nil, nil]) == SlotOwners(unownedCount: 2))
    }

    @Test func writesLikeAnArray() {
        var owners = SlotOwners(unownedCount: 4)
        var plain = [String?](repeating: nil, count: 4)
        for (slot, owner) in [(0, "a"), (1, "b"), (0, "b"), (3, "c"), (1, nil), (2, "a")] as [(Int, String?)] {
            owners[slot] = owner
            plain[slot] = owner
            #expect(Array(owners) == plain)
        }
        #expect(owners == SlotOwners(plain))
    }

    @Test func aRecordingsRunsNamingNoOwnerOrOutsideTheTableAreSkipped() {
        let owners = SlotOwners(owners: ["a", "b"], runs: [(0, 1, 0), (2, 2, 5), (-3, -1, 1), (3, 99, 1), (2, 1, 0)], count: 5)
        #expect(Array(owners) == ["a", "a", nil, "b", "b"])
        // A damaged file naming more owners than a table can number still reads.
        let many = (0..<70_000).map { "n\($0)" }
        let wide = SlotOwners(owners: many, runs: [(0, 0, 69_999), (1, 1, 3)], count: 2)
        #expect(Array(wide) == [nil, "n3"])
        #expect(wide == SlotOwners([nil, "n3"]))
    }

    /// Random tables and random writes, against a plain `[String?]` kept beside them.
    @Test func randomWritesAndComparisonsAgreeWithAPlainTable() {
        var random = SeededGenerator(seed: 0x5107)
        let names: [String?] = [nil, "a", "b", "c", "d", "e\u{301}", "\u{e9}"]
        for _ in 0..<300 {
            let count = Int(random.next() % 40)
            var left = (0..<count).map { _ in names[Int(random.next() % UInt64(names.count))] }
            var right = (0..<count).map { _ in names[Int(random.next() % UInt64(names.count))] }
            var leftOwners = SlotOwners(left)
            var rightOwners = SlotOwners(right)
            for _ in 0..<Int(random.next() % 30) where count > 0 {
                let slot = Int(random.next() % UInt64(count))
                let name = names[Int(random.next() % UInt64(names.count))]
                if random.next() % 2 == 0 {
                    left[slot] = name
                    leftOwners[slot] = name
                } else {
                    right[slot] = name
                    rightOwners[slot] = name
                }
                #expect(Array(leftOwners) == left)
                #expect(Array(rightOwners) == right)
                #expect((leftOwners == rightOwners) == (left == right))
            }
            #expect((leftOwners == rightOwners) == (left == right))
            #expect(leftOwners.coveredCount == left.filter { $0 != nil }.count)
        }
    }
}
