/// Which migration moves may run at the same time (rebalance runs several at once, up to a limit).
///
/// Two moves may overlap when they are between different pairs of primaries and no node gives
/// slots in one while it takes slots in another. The second rule keeps the epoch guard sound: a
/// move's finalise waits until its target knows the source's config epoch, and a source's epoch
/// only changes when it takes a slot (its SETSLOT NODE bumps it). A node that only gives keeps its
/// epoch for as long as the moves run, so every target's bump still lands above it.
/// Several moves may share a source (a drained primary feeds many targets) or a target.
public enum MoveConcurrency {
    public static func canRun(_ candidate: MigrationPlan, beside running: [MigrationPlan]) -> Bool {
        for other in running {
            if other.sourceId == candidate.sourceId && other.targetId == candidate.targetId { return false }
            if other.sourceId == candidate.targetId || other.targetId == candidate.sourceId { return false }
        }
        return true
    }

    /// The order in which `plans` start with at most `limit` at once, when every move takes the
    /// same time: a pure view of the schedule, for the plan text and the tests.
    public static func waves(_ plans: [MigrationPlan], limit: Int) -> [[Int]] {
        var waiting = Array(plans.indices)
        var waves: [[Int]] = []
        while !waiting.isEmpty {
            var wave: [Int] = []
            var index = 0
            while wave.count < max(1, limit), index < waiting.count {
                if canRun(plans[waiting[index]], beside: wave.map { plans[$0] }) {
                    wave.append(waiting.remove(at: index))
                } else {
                    index += 1
                }
            }
            waves.append(wave)
        }
        return waves
    }
}
