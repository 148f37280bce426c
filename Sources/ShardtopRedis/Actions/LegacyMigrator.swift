import Foundation
import ShardtopCore

/// The legacy path, for every server: per round of slots, IMPORTING on the target, MIGRATING on the
/// source, pipelined GETKEYSINSLOT + MIGRATE ... KEYS until empty, then the guarded finalise
/// (target, source, every other primary). Each step is one pipelined request per node.
struct LegacyMigrator {
    let plan: MigrationPlan
    let links: ActionLinks
    let otherPrimaries: [NodeAddress]
    let settings: MigrationSettings
    let control: OperationControl
    /// Re-read both nodes' marks before each finalise, to catch another actor (not for `fix`).
    let recheckBeforeFinalise: Bool
    let progress: @Sendable (MigrationProgress) -> Void

    func run() async throws -> MigrationOutcome {
        let started = Date()
        let source = try await links.connection(plan.sourceAddress)
        let target = try await links.connection(plan.targetAddress)
        var others: [RedisConnection] = []
        var notes: [String] = []
        for address in otherPrimaries {
            do { others.append(try await links.connection(address)) } catch { notes.append("\(address) not told directly: \(error)") }
        }
        var mover = SlotMover(
            source: source, target: target, sourceId: plan.sourceId, targetId: plan.targetId,
            batchKeys: settings.batchKeys, migrateTimeoutMillis: settings.migrateTimeoutMillis,
            replaceConflicts: settings.replaceConflicts, asking: false,
            auth: (await links.user, await links.password), commandLog: CommandLog()
        )
        var report = MigrationProgress(
            sourceAddress: plan.sourceAddress, targetAddress: plan.targetAddress, path: .legacy,
            slotsDone: 0, slotsTotal: plan.slots.count, keysMoved: 0, elapsedSeconds: 0, phase: "starting"
        )
        progress(report)

        for start in stride(from: 0, to: plan.slots.count, by: settings.slotsPerRound) {
            if control.isPaused {
                report.phase = "paused"
                progress(report)
            }
            try await control.checkpoint()
            let round = Array(plan.slots[start..<min(start + settings.slotsPerRound, plan.slots.count)])
            report.phase = round.count == 1 ? "moving slot \(round[0])" : "moving slots \(round[0])-\(round[round.count - 1])"
            progress(report)

            try await target.expectOK("SETSLOT IMPORTING on target", round.map { ["CLUSTER", "SETSLOT", "\($0)", "IMPORTING", plan.sourceId] })
            try await source.expectOK("SETSLOT MIGRATING on source", round.map { ["CLUSTER", "SETSLOT", "\($0)", "MIGRATING", plan.targetId] })
            mover.commandLog.add("CLUSTER SETSLOT <slot> IMPORTING \(plan.sourceId) (target)", count: round.count)
            mover.commandLog.add("CLUSTER SETSLOT <slot> MIGRATING \(plan.targetId) (source)", count: round.count)
            report.keysMoved += try await mover.drain(round)
            if recheckBeforeFinalise {
                try await OtherActivity.checkStillOurs(round, source: source, sourceId: plan.sourceId, target: target, targetId: plan.targetId)
                mover.commandLog.add("CLUSTER NODES (re-check before finalise)", count: 2)
            }
            notes += try await mover.finalise(round, others: others)

            report.slotsDone += round.count
            report.elapsedSeconds = Date().timeIntervalSince(started)
            progress(report)
        }
        // A drain that emptied the source turned it into the target's replica (SourceDemotion).
        if await SourceDemotion.isReplica(source, of: plan.targetId) {
            notes.append(SourceDemotion.note(source: plan.sourceAddress, target: plan.targetAddress))
        }
        report.phase = "done"
        progress(report)
        return MigrationOutcome(
            slotsMoved: report.slotsDone, keysMoved: report.keysMoved, seconds: Date().timeIntervalSince(started),
            commands: mover.commandLog.lines, notes: notes
        )
    }
}
