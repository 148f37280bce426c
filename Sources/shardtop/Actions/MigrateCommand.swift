import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move hash slots between primaries, with a plan preview and live progress.",
        discussion: """
        Either --slots A-B[,C-D...] --to NODE, or --from NODE --to NODE --count N. The plan shows the
        slots, their keys, an estimated time, the biggest keys sampled (MEMORY USAGE) and the path:
        atomic (CLUSTER MIGRATESLOTS, Valkey 9+) when both nodes support it, otherwise legacy,
        with the reason. A failed atomic job stops; it never falls back silently.

        Nothing is lost: a slot is finalised only after the source is re-counted at zero keys; a
        MIGRATE error or BUSYKEY stops with the slot left open for `shardtop fix`. Ctrl-C finishes
        the slots in progress, then stops with no slot open.

        Examples:
          shardtop migrate --slots 0-99 --to 10.0.0.6:6379
          shardtop migrate --from 10.0.0.5:6379 --to 10.0.0.6:6379 --count 500 --yes
          shardtop migrate --slots 7000 --to 3fe1c2 --path legacy

        Exit status: 0 moved, 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("Slots to move: A-B[,C-D...].", valueName: "ranges"))
    var slots: String?

    @Option(help: ArgumentHelp("Source primary (with --count).", valueName: "node"))
    var from: String?

    @Option(help: ArgumentHelp("Target primary.", valueName: "node"))
    var to: String

    @Option(help: ArgumentHelp("Number of slots to take from --from.", valueName: "n"))
    var count: Int?

    @OptionGroup var migration: MigrationArguments
    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        // Above the source's slot count means "all of them" (scripts drain with --count 99999, and
        // the plan says how many it takes); the cap only keeps nonsense like 2^63 out.
        try NumericOption.check(count, "--count", 1...1_000_000)
        if (slots == nil) == (from == nil || count == nil) {
            throw ValidationError("give either --slots A-B --to NODE, or --from NODE --to NODE --count N")
        }
        if let slots { _ = try Self.slotList(slots) }
    }

    /// --slots parsed and merged; a bad range is refused in validate(), before anything connects.
    static func slotList(_ text: String) throws(ValidationError) -> SlotRangeList {
        do { return try SlotRangeList.parse(text) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [to], verb: "migrate slots")
        let target = try session.node(to)
        var plans: [MigrationPlan]
        do {
            if let slots {
                let list = try Self.slotList(slots)
                // Said before the plan, so an operator who typed overlapping ranges sees the union taken.
                if list.overlapped { print(list.description) }
                plans = try MigrationPlanner.plans(session.snapshot, slots: list.ranges, to: target.id)
            } else {
                let source = try session.node(from!)
                plans = [try MigrationPlanner.plan(session.snapshot, from: source.id, to: target.id, count: count!)]
            }
        } catch let error as MigrationPlanner.PlanError {
            throw fail(error.description, code: ExitStatus.problemsFound)
        }
        let problems = ActionPreconditions.blockingProblems(session.snapshot)
        if !problems.isEmpty {
            throw fail(ActionPreconditions.refusal(problems, snapshot: session.snapshot, action: "migrate"), code: ExitStatus.problemsFound)
        }
        plans = try plans.map { try PathOverride.apply(migration.path, to: $0) }
        try await session.requirePermissions(ActionPermissions.touches(migrating: plans, primaries: session.reachablePrimaries),
                                             action: "migrate", verb: "migrate slots", nodes: plans.involvedNodes(session.snapshot))
        try await MigrationExecution(session: session, settings: migration.settings, action: "migrate").preview(plans).execute(plans)
    }
}

/// --path legacy|atomic|auto applied to a planned path: forcing legacy is explicit, forcing atomic
/// where a node lacks it is refused.
enum PathOverride {
    static func apply(_ choice: MigrationArguments.PathChoice, to plan: MigrationPlan) throws(ExitCode) -> MigrationPlan {
        var plan = plan
        switch choice {
        case .auto:
            break
        case .legacy:
            plan.path = .legacy
            plan.pathReason = "legacy path chosen with --path legacy"
        case .atomic:
            guard plan.path == .atomic else { throw fail("--path atomic: \(plan.pathReason)", code: ExitStatus.problemsFound) }
        }
        return plan
    }
}
