import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// Preview, confirm, run with progress and journal: the shared tail of `migrate` and `rebalance`.
public struct MigrationExecution {
    public let session: ActionSession
    public let settings: MigrationSettings
    public let action: String

    public init(session: ActionSession, settings: MigrationSettings, action: String) {
        self.session = session
        self.settings = settings
        self.action = action
    }

    /// Surveys each plan (keys, big keys) and prints it. Returns self for chaining.
    public func preview(_ plans: [MigrationPlan]) async throws -> MigrationExecution {
        for index in plans.indices {
            let plan = try await MigrationSurvey.survey(plans[index], links: session.links)
            print(MigrationPlanText.lines(plan).joined(separator: "\n"))
        }
        return self
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

        let runner = MigrationRunner(links: session.links, settings: settings, control: control)
        let primaries = session.reachablePrimaries
        let printer = session.progressPrinter()
        for plan in plans {
            let nodes = [plan.sourceId, plan.targetId].compactMap { session.snapshot.node(id: $0) }
            let summary = "\(plan.slots.count) slots \(SnapshotDiff.describe(plan.ranges)) \(plan.sourceAddress) -> \(plan.targetAddress) [\(plan.path.rawValue)]"
            session.record(action, nodes: nodes, commands: [], outcome: .started, detail: summary)
            do {
                let outcome = try await runner.run(plan, primaries: primaries) { progress in printer(progress.line, false) }
                let line = "moved \(outcome.slotsMoved) slots, \(outcome.keysMoved) keys in \(String(format: "%.2f", outcome.seconds)) s (\(Int(Double(outcome.keysMoved) / max(outcome.seconds, 0.001))) keys/s)"
                printer(line, true)
                for note in outcome.notes { print("note: \(note)") }
                // Notes say what else is true now (a drained source became a replica); the journal keeps them too.
                let detail = ([line] + outcome.notes.map { "note: \($0)" }).joined(separator: "; ")
                session.record(action, nodes: nodes, commands: outcome.commands, outcome: .succeeded, detail: "\(summary): \(detail)")
            } catch let error as ActionError {
                printer("", true)
                let outcome: ActionRecord.Outcome = error == .cancelled ? .cancelled : .failed
                session.record(action, nodes: nodes, commands: [], outcome: outcome, detail: "\(summary): \(error)")
                throw fail(error.description, code: ExitStatus.problemsFound)
            }
        }
        if closeAfter { await session.close() }
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
