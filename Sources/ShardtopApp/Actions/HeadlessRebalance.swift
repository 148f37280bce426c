import ShardtopCore
import ShardtopRedis

/// `shardtop rebalance`: weigh, plan, print the plan, and (unless a dry run) move.
public enum HeadlessRebalance {
    /// `weights` are (node as typed, weight), already checked; `threshold` is in percent;
    /// `parallelMoves`: how many moves may run at once (MoveConcurrency says which may).
    public static func run(weights: [(node: String, weight: Double)], metric by: RebalanceMetric, threshold: Double, dryRun: Bool,
                           path: MigrationPathChoice, settings: MigrationSettings, parallelMoves: Int = 1, session: ActionSession) async throws {
        let snapshot = session.snapshot
        var weightById: [String: Double] = [:]
        for (node, weight) in weights {
            weightById[try session.node(node).id] = weight
        }
        let problems = ActionPreconditions.blockingProblems(snapshot)
        if !problems.isEmpty { throw fail(ActionPreconditions.refusal(problems, snapshot: session.snapshot, action: "rebalance"), code: ExitStatus.problemsFound) }
        let slotKeys = by == .slots ? [:] : await SlotKeyCounter.count(snapshot: snapshot, poller: session.poller)
        let plan = RebalancePlanner.plan(snapshot, metric: by, weights: weightById, slotKeys: slotKeys, threshold: threshold / 100)
        print(RebalancePlanText.lines(plan, snapshot: snapshot).joined(separator: "\n"))
        guard !plan.moves.isEmpty else {
            print("balanced within \(threshold)%: nothing to move")
            return
        }
        if dryRun { return }
        var plans: [MigrationPlan] = []
        for move in plan.moves {
            guard let source = snapshot.node(id: move.fromId), let target = snapshot.node(id: move.toId) else { continue }
            plans.append(try PathOverride.apply(path, to: MigrationPlanner.plan(source: source, target: target, slots: move.slots)))
        }
        try await session.requirePermissions(ActionPermissions.touches(migrating: plans, primaries: session.reachablePrimaries),
                                             action: "rebalance", verb: "rebalance", nodes: plans.involvedNodes(snapshot))
        if parallelMoves > 1 && plans.count > 1 {
            print("up to \(parallelMoves) moves at once (moves between different pairs of primaries; no node gives and takes at the same time)")
        }
        try await MigrationExecution(session: session, settings: settings, action: "rebalance", parallelMoves: parallelMoves).execute(plans)
    }
}

public enum RebalancePlanText {
    public static func lines(_ plan: RebalancePlan, snapshot: ClusterSnapshot) -> [String] {
        func name(_ id: String) -> String { snapshot.node(id: id).map { "\($0.address)" } ?? String(id.prefix(8)) }
        func amount(_ value: Double) -> String {
            plan.metric == .memory ? ByteCount.text(Int64(value)) : String(Int(value.rounded()))
        }
        var lines = ["rebalance by \(plan.metric.rawValue): \(plan.moves.count) move\(plan.moves.count == 1 ? "" : "s"), \(plan.slotsMoved) slots"]
        for move in plan.moves {
            lines.append("  \(name(move.fromId)) -> \(name(move.toId)): \(move.slots.count) slots \(SnapshotDiff.describe(move.ranges))")
        }
        func row(_ cells: [String]) -> String {
            let first = cells[0].padding(toLength: max(24, cells[0].count), withPad: " ", startingAt: 0)
            return "  " + first + cells.dropFirst().map { String(repeating: " ", count: max(0, 12 - $0.count)) + $0 }.joined(separator: " ")
        }
        lines.append(row(["primary", "before", "after", "target"]))
        for id in plan.before.keys.sorted(by: { name($0) < name($1) }) {
            lines.append(row([name(id), amount(plan.before[id]!), amount(plan.after[id] ?? 0), amount(plan.targets[id] ?? 0)]))
        }
        return lines
    }
}
