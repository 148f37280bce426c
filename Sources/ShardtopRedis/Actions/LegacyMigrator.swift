import Foundation
import ShardtopCore

/// The legacy path, for every server: per round of slots, IMPORTING on the target, MIGRATING on the
/// source, pipelined GETKEYSINSLOT + MIGRATE ... KEYS until empty, then the guarded finalise
/// (target, then the source and every other primary). Each step is one pipelined request per node,
/// and the next round is opened in the same requests as this round's finalise (SlotMover.finalise):
/// about four round trips a round.
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

        // Round size from the key count: the survey's, or (rebalance and drains skip the survey)
        // one pipelined COUNTKEYSINSLOT per slot now, which is O(1) each on the server.
        var keys = plan.keyCount
        if settings.slotsPerRound == nil, keys == nil { keys = try? await MigrationSurvey.keyCount(plan.slots, on: source) }
        let perRound = settings.slotsPerRound(keys: keys, slots: plan.slots.count)
        let rounds = stride(from: 0, to: plan.slots.count, by: perRound).map {
            Array(plan.slots[$0..<min($0 + perRound, plan.slots.count)])
        }
        // The listing that came back with the opening of the current round (nil: not opened yet).
        var listing: [RESPValue]?
        // The other primaries' SETSLOT NODE requests, told in the background (see SlotMover.finalise).
        var othersTold: [Task<[String], Never>] = []
        for (index, round) in rounds.enumerated() {
            if listing == nil {
                if control.isPaused {
                    report.phase = "paused"
                    progress(report)
                }
                try await control.checkpoint()
                listing = try await mover.open(round)
            }
            report.phase = round.count == 1 ? "moving slot \(round[0])" : "moving slots \(round[0])-\(round[round.count - 1])"
            progress(report)
            report.keysMoved += try await mover.drain(round, listed: listing)
            // The next round is opened in the finalise's own requests, unless a pause or cancel is
            // pending: then this round is finalised alone and the checkpoint above holds the next.
            let next = index + 1 < rounds.count && !control.isPaused && !control.isCancelled && !Task.isCancelled ? rounds[index + 1] : []
            let finalised = try await mover.finalise(round, others: others, recheckMarks: recheckBeforeFinalise, opening: next)
            othersTold.append(finalised.othersTold)
            listing = next.isEmpty ? nil : finalised.listing

            report.slotsDone += round.count
            report.elapsedSeconds = Date().timeIntervalSince(started)
            progress(report)
        }
        for told in othersTold { notes += await told.value }
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
