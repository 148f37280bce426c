import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// Preview, confirm, run with progress and journal: the shared tail of `migrate` and `rebalance`.
public struct MigrationExecution {
    public let session: ActionSession
    public let settings: MigrationSettings
    public let action: String
    /// Moves run at once at most (rebalance); 1 runs them one after another, each with its own lease.
    public let parallelMoves: Int

    public init(session: ActionSession, settings: MigrationSettings, action: String, parallelMoves: Int = 1) {
        self.session = session
        self.settings = settings
        self.action = action
        self.parallelMoves = max(1, parallelMoves)
    }

    /// Surveys each plan (keys, big keys) and prints it. Returns the surveyed plans, which are the
    /// ones to execute: the engine sizes its rounds from their key counts.
    public func preview(_ plans: [MigrationPlan]) async throws -> [MigrationPlan] {
        var surveyed: [MigrationPlan] = []
        for plan in plans {
            let plan = try await MigrationSurvey.survey(plan, links: session.links)
            print(MigrationPlanText.lines(plan).joined(separator: "\n"))
            surveyed.append(plan)
        }
        return surveyed
    }

    public func execute(_ plans: [MigrationPlan]) async throws {
        try await run(plans, askFirst: true, closeAfter: true)
    }

    /// `askFirst: false` when the caller has already confirmed a larger plan (remove-node's drain);
    /// `closeAfter: false` when the caller goes on with the same session.
    public func run(_ plans: [MigrationPlan], askFirst: Bool, closeAfter: Bool) async throws {
        let total = plans.reduce(0) { $0 + $1.slots.count }
        if askFirst {
            guard try session.confirm("Move \(total) slot\(total == 1 ? "" : "s")?") else {
                print("not confirmed; nothing moved")
                throw ExitCode(ExitStatus.problemsFound)
            }
        }
        let control = OperationControl()
        let interrupt = Interrupt()
        interrupt.install()
        // Ctrl-C asks the engine to stop between rounds: the slots in progress are finished first.
        let watcher = Task { await interrupt.waitForSignal(); control.cancel(); printError("stopping after the slots in progress (no slot will be left open)") }
        defer { watcher.cancel(); interrupt.uninstall() }

        let runner = ConcurrentMigrationRunner(runner: MigrationRunner(links: session.links, settings: settings, control: control), limit: parallelMoves)
        let primaries = session.reachablePrimaries
        let printer = session.progressPrinter()
        let session = self.session
        let action = self.action
        let summaries = plans.map { plan in
            "\(plan.slots.count) slots \(SnapshotDiff.describe(plan.ranges)) \(plan.sourceAddress) -> \(plan.targetAddress) [\(plan.path.rawValue)]"
        }
        let nodes = plans.map { plan in [plan.sourceId, plan.targetId].compactMap { session.snapshot.node(id: $0) } }
        // Several moves at once each say which they are: "[2/14] ..."
        let parallel = parallelMoves
        let tag: @Sendable (Int) -> String = { index in plans.count > 1 && parallel > 1 ? "[\(index + 1)/\(plans.count)] " : "" }
        let started = ContinuousClock.now
        do {
            try await runner.run(plans, primaries: primaries, started: { index in
                session.record(action, nodes: nodes[index], commands: [], outcome: .started, detail: summaries[index])
            }, progress: { index, progress in
                printer(tag(index) + progress.line, false)
            }, finished: { index, result in
                switch result {
                case .success(let outcome):
                    let line = "moved \(outcome.slotsMoved) slots, \(outcome.keysMoved) keys in \(String(format: "%.2f", outcome.seconds)) s (\(Int(Double(outcome.keysMoved) / max(outcome.seconds, 0.001))) keys/s)"
                    printer(tag(index) + line, true)
                    for note in outcome.notes { print("note: \(note)") }
                    // Notes say what else is true now (a drained source became a replica); the journal keeps them too.
                    let detail = ([line] + outcome.notes.map { "note: \($0)" }).joined(separator: "; ")
                    session.record(action, nodes: nodes[index], commands: outcome.commands, outcome: .succeeded, detail: "\(summaries[index]): \(detail)")
                case .failure(let error):
                    printer("", true)
                    let outcome: ActionRecord.Outcome = (error as? ActionError) == .cancelled ? .cancelled : .failed
                    session.record(action, nodes: nodes[index], commands: [], outcome: outcome, detail: "\(summaries[index]): \(error)")
                }
            })
        } catch let error as ActionError {
            throw fail(error.description, code: ExitStatus.problemsFound)
        }
        PhaseLog.mark("moved")
        if plans.count > 1 && parallelMoves > 1 {
            let seconds = (ContinuousClock.now - started)
            let total = Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18
            print("all \(plans.count) moves done in \(String(format: "%.2f", total)) s (up to \(parallelMoves) at once)")
        }
        if closeAfter { await session.close(); PhaseLog.mark("closed") }
    }
}

public enum MigrationPlanText {
    public static func lines(_ plan: MigrationPlan) -> [String] {
        var lines = [
            "plan: \(plan.slots.count) slot\(plan.slots.count == 1 ? "" : "s") \(SnapshotDiff.describe(plan.ranges)) from \(plan.sourceAddress) to \(plan.targetAddress)",
            "  keys:      \(plan.keyCount.map(String.init) ?? "?")",
            "  estimate:  \(String(format: "%.1f", plan.estimatedSeconds())) s",
            "  path:      \(plan.path.rawValue) (\(plan.pathReason))",
        ]
        if !plan.bigKeys.isEmpty {
            lines.append("  biggest sampled keys: " + plan.bigKeys.prefix(3).map { "\(sanitizedForDisplay($0.key, limit: 40)) \(ByteCount.text($0.bytes))" }.joined(separator: ", "))
        }
        lines += plan.warnings.map { "  WARNING: \($0)" }
        return lines
    }
}
