import Testing
import ShardtopCore

@Suite struct MoveConcurrencyTests {
    func move(_ from: String, _ to: String, _ slot: Int) -> MigrationPlan {
        MigrationPlan(sourceId: from, sourceAddress: NodeAddress(host: "127.0.0.1", port: 7000 + Int(from.unicodeScalars.first!.value)),
                      targetId: to, targetAddress: NodeAddress(host: "127.0.0.1", port: 7000 + Int(to.unicodeScalars.first!.value)),
                      slots: [slot], path: .legacy, pathReason: "test")
    }

    @Test func aDrainedPrimaryFeedsSeveralTargetsAtOnce() {
        let plans = ["b", "c", "d", "e", "f"].enumerated().map { move("a", $0.element, $0.offset) }
        #expect(MoveConcurrency.waves(plans, limit: 4) == [[0, 1, 2, 3], [4]])
        #expect(MoveConcurrency.waves(plans, limit: 1) == [[0], [1], [2], [3], [4]])
    }

    @Test func severalSourcesMayFillOneTarget() {
        let plans = [move("a", "z", 0), move("b", "z", 1), move("c", "z", 2)]
        #expect(MoveConcurrency.waves(plans, limit: 8) == [[0, 1, 2]])
    }

    @Test func theSamePairNeverRunsTwiceAtOnce() {
        let plans = [move("a", "b", 0), move("a", "b", 1)]
        #expect(!MoveConcurrency.canRun(plans[1], beside: [plans[0]]))
        #expect(MoveConcurrency.waves(plans, limit: 4) == [[0], [1]])
    }

    /// A node that takes slots bumps its config epoch; a move it gives from must not run then,
    /// or that move's epoch guard could be read before the bump.
    @Test func noNodeGivesAndTakesAtOnce() {
        let plans = [move("a", "b", 0), move("b", "c", 1), move("c", "a", 2), move("d", "e", 3)]
        #expect(!MoveConcurrency.canRun(plans[1], beside: [plans[0]]))
        #expect(!MoveConcurrency.canRun(plans[2], beside: [plans[0]]))
        #expect(MoveConcurrency.canRun(plans[3], beside: [plans[0]]))
        #expect(MoveConcurrency.waves(plans, limit: 4) == [[0, 3], [1], [2]])
    }
}
