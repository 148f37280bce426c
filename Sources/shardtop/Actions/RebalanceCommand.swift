import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct RebalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebalance",
        abstract: "Even out slots, keys or memory across primaries (a dry-run diff first).",
        discussion: """
        Proposes moves that bring every primary to its weighted share, shows which ranges move
        where and the balance before and after, then runs them through the migration engine.
        --weight NODE=0 drains a primary. Primaries within --threshold percent of their share
        are left alone.

        Examples:
          shardtop rebalance 10.0.0.5:6379 --dry-run
          shardtop rebalance 10.0.0.5:6379 --by keys
          shardtop rebalance 10.0.0.5:6379 --weight 10.0.0.9:6379=0 --yes     (drain a node)

        Exit status: 0 balanced (or nothing to do), 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("What to even out: slots, keys or memory.", valueName: "metric"))
    var by: RebalanceMetric = .slots

    @Option(name: .customLong("weight"), help: ArgumentHelp("A primary's weight (default 1); 0 drains it. Repeatable.", valueName: "node=w"))
    var weights: [String] = []

    @Option(help: ArgumentHelp("Leave primaries within this percent of their share alone.", valueName: "pct"))
    var threshold: Double = 2

    @Flag(help: "Print the plan and exit.")
    var dryRun = false

    @OptionGroup var migration: MigrationArguments
    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        try NumericOption.check(threshold, "--threshold", 0...100, unit: "percent")
        for entry in weights { _ = try Self.weight(entry) }
    }

    /// "NODE=W" split and checked; the node is looked up once connected.
    static func weight(_ entry: String) throws(ValidationError) -> (node: String, weight: Double) {
        let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let weight = Double(parts[1]) else {
            throw ValidationError("bad --weight '\(entry)': use NODE=W, e.g. 10.0.0.9:6379=0 to drain it")
        }
        try NumericOption.check(weight, "--weight \(parts[0])", RebalanceWeight.range)
        return (parts[0], weight)
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "rebalance")
        let snapshot = session.snapshot
        var weightById: [String: Double] = [:]
        for entry in weights {
            let (node, weight) = try Self.weight(entry)
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
            plans.append(try PathOverride.apply(migration.path, to: MigrationPlanner.plan(source: source, target: target, slots: move.slots)))
        }
        try await session.requirePermissions(ActionPermissions.touches(migrating: plans, primaries: session.reachablePrimaries),
                                             action: "rebalance", verb: "rebalance", nodes: plans.involvedNodes(snapshot))
        try await MigrationExecution(session: session, settings: migration.settings, action: "rebalance").execute(plans)
    }
}

extension RebalanceMetric: ExpressibleByArgument {}

enum RebalancePlanText {
    static func lines(_ plan: RebalancePlan, snapshot: ClusterSnapshot) -> [String] {
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
