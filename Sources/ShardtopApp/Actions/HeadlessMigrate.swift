import ArgumentParser
import ShardtopCore
import ShardtopRedis

/// `shardtop migrate`: plan, refuse while the cluster has problems, check permissions, preview, move.
public enum HeadlessMigrate {
    /// Which slots: an explicit list (already merged), or N slots of a source node.
    public enum Slots: Sendable {
        case list(SlotRangeList)
        case count(from: String, count: Int)
    }

    public static func run(_ slots: Slots, to: String, path: MigrationPathChoice, settings: MigrationSettings, session: ActionSession) async throws {
        let target = try session.node(to)
        var plans: [MigrationPlan]
        do {
            switch slots {
            case .list(let list):
                // Said before the plan, so an operator who typed overlapping ranges sees the union taken.
                if list.overlapped { print(list.description) }
                plans = try MigrationPlanner.plans(session.snapshot, slots: list.ranges, to: target.id)
            case .count(let from, let count):
                let source = try session.node(from)
                plans = [try MigrationPlanner.plan(session.snapshot, from: source.id, to: target.id, count: count)]
            }
        } catch let error as MigrationPlanner.PlanError {
            throw fail(error.description, code: ExitStatus.problemsFound)
        }
        let problems = ActionPreconditions.blockingProblems(session.snapshot)
        if !problems.isEmpty {
            throw fail(ActionPreconditions.refusal(problems, snapshot: session.snapshot, action: "migrate"), code: ExitStatus.problemsFound)
        }
        plans = try plans.map { try PathOverride.apply(path, to: $0) }
        try await session.requirePermissions(ActionPermissions.touches(migrating: plans, primaries: session.reachablePrimaries),
                                             action: "migrate", verb: "migrate slots", nodes: plans.involvedNodes(session.snapshot))
        PhaseLog.mark("permitted")
        let execution = MigrationExecution(session: session, settings: settings, action: "migrate")
        let surveyed = try await execution.preview(plans)
        PhaseLog.mark("surveyed")
        try await execution.execute(surveyed)
    }
}

/// --path: which migration path to take, when both nodes allow a choice.
public enum MigrationPathChoice: String, CaseIterable, Sendable {
    case auto, legacy, atomic
}

/// --path legacy|atomic|auto applied to a planned path: forcing legacy is explicit, forcing atomic
/// where a node lacks it is refused.
public enum PathOverride {
    public static func apply(_ choice: MigrationPathChoice, to plan: MigrationPlan) throws(ExitCode) -> MigrationPlan {
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
