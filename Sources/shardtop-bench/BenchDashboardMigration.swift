import Foundation
import ShardtopCore
import ShardtopRedis

/// shardtop's atomic path as the dashboard runs it, in this process (bench tool W).
///
/// The raw loop (R) runs in this process over a connection opened before its clock starts, so it
/// pays no process start, no argument parsing and no first poll of all nodes; `shardtop migrate`
/// (T) pays all three, about 30 ms of a 0.25 s move. An operator who presses `m` in a running
/// dashboard pays none of them either: the dashboard already holds a live snapshot, and it plans
/// and surveys (ACL preflight, key counts) over its action connections while the confirmation
/// dialog is open. W does the same before its clock: the poller's snapshot, the plan, the survey on
/// one long-lived `ActionLinks`. Its clock then covers what follows the operator's `y`, exactly the
/// dashboard's `DashboardActions.run`: `MigrationRunner.run` with its operation lease (fresh
/// connections, as every time), the idle check of both nodes and the atomic engine.
enum BenchDashboardMigration {
    struct Outcome {
        var elapsed: Duration
        var engineSeconds: Double
    }

    static func run(links: ActionLinks, poller: ClusterPoller, ranges: [SlotRange], to targetId: String) async throws -> Outcome {
        let snapshot = await poller.tick().snapshot
        let plans: [MigrationPlan]
        do { plans = try MigrationPlanner.plans(snapshot, slots: ranges, to: targetId) } catch { throw BenchFailure("W plan: \(error)") }
        guard plans.count == 1, let plan = plans.first else { throw BenchFailure("W plan: \(plans.count) plans, expected one source") }
        guard plan.path == .atomic else { throw BenchFailure("W plan: the atomic path is not available (\(plan.pathReason))") }
        let surveyed = try await MigrationSurvey.survey(plan, links: links)
        let primaries = snapshot.reachablePrimaryAddresses

        let started = ContinuousClock.now
        let outcome = try await MigrationRunner(links: links).run(surveyed, primaries: primaries) { _ in }
        return Outcome(elapsed: ContinuousClock.now - started, engineSeconds: outcome.seconds)
    }
}
