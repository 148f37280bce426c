import Foundation
import NIOConcurrencyHelpers
import ShardtopCore

/// The atomic path (Valkey 9.0+): CLUSTER MIGRATESLOTS is sent to the source, which streams whole
/// slots to the target and switches ownership itself; CLUSTER GETSLOTMIGRATIONS reports the job.
/// Slots are sent as jobs of `atomicSlotsPerJob` so progress and cancel have a useful grain.
/// A failed job stops the run: there is no fallback to the legacy path.
struct AtomicMigrator {
    let plan: MigrationPlan
    let links: ActionLinks
    let settings: MigrationSettings
    let control: OperationControl
    let progress: @Sendable (MigrationProgress) -> Void

    func run() async throws -> MigrationOutcome {
        let started = Date()
        let source = try await links.connection(plan.sourceAddress)
        var log = CommandLog()
        var report = MigrationProgress(
            sourceAddress: plan.sourceAddress, targetAddress: plan.targetAddress, path: .atomic,
            slotsDone: 0, slotsTotal: plan.slots.count, keysMoved: 0, elapsedSeconds: 0, phase: "starting"
        )
        progress(report)
        for start in stride(from: 0, to: plan.slots.count, by: settings.atomicSlotsPerJob) {
            if control.isPaused {
                report.phase = "paused"
                progress(report)
            }
            try await control.checkpoint()
            let job = Array(plan.slots[start..<min(start + settings.atomicSlotsPerJob, plan.slots.count)])
            let ranges = SlotRange.ranges(fromSortedSlots: job)
            let rangeText = ranges.map { "\($0.start)-\($0.end)" }.joined(separator: " ")
            report.phase = "moving slots \(ranges.map(\.description).joined(separator: ","))"
            progress(report)

            // The plan's survey already counted the keys when the job is the whole plan: skip a round trip.
            let keys: Int
            if let surveyed = plan.keyCount, job.count == plan.slots.count {
                keys = surveyed
            } else {
                let counts = try await source.run("COUNTKEYSINSLOT", job.map { ["CLUSTER", "COUNTKEYSINSLOT", "\($0)"] })
                keys = counts.reduce(0) { $0 + Int($1.int ?? 0) }
            }
            var command = ["CLUSTER", "MIGRATESLOTS", "SLOTSRANGE"]
            for range in ranges { command += ["\(range.start)", "\(range.end)"] }
            command += ["NODE", plan.targetId]
            // The jobs listed before ours, and ours started, in one request: the source runs them in
            // order, so the listing cannot contain the new job.
            let replies = try await source.run("CLUSTER MIGRATESLOTS", [["CLUSTER", "GETSLOTMIGRATIONS"], command])
            if let error = replies[0].errorMessage { throw ActionError.refused(step: "CLUSTER GETSLOTMIGRATIONS", node: source.address, reply: error) }
            if let error = replies[1].errorMessage { throw ActionError.refused(step: "CLUSTER MIGRATESLOTS", node: source.address, reply: error) }
            let before = Set(SlotMigrationJob.parse(replies[0]).map(\.name))
            log.add("CLUSTER GETSLOTMIGRATIONS")
            log.add("CLUSTER MIGRATESLOTS SLOTSRANGE <ranges> NODE \(plan.targetId)")

            try await waitForJob(on: source, excluding: before, rangeText: rangeText, probeSlot: job[0], log: &log)
            report.slotsDone += job.count
            report.keysMoved += keys
            report.elapsedSeconds = Date().timeIntervalSince(started)
            progress(report)
        }
        report.phase = "done"
        progress(report)
        return MigrationOutcome(slotsMoved: report.slotsDone, keysMoved: report.keysMoved,
                                seconds: Date().timeIntervalSince(started), commands: log.lines, notes: [])
    }

    /// Polls until our job reports success. A cancel request is passed to the server, whose own
    /// cancel leaves every slot with its source (the job is all-or-nothing per slot range).
    ///
    /// GETSLOTMIGRATIONS lists every job the node remembers (up to cluster-slot-migration-log-max-len,
    /// 1000 by default), so on a node with a long history each listing costs the source, the node
    /// doing the work, up to a millisecond (issue 12: 83 us with 80 jobs listed, 150 us with 160, in
    /// the bench). Between listings the poll asks the source something that costs a few microseconds
    /// whatever the history: CLUSTER SLOT-STATS for the job's first slot, which lists the slot only
    /// while the source owns it. The job is all-or-nothing, so the slot leaving the source is the
    /// moment to list again and read the job's state; a failed or cancelled job (whose slots stay)
    /// is still read from a listing at least every `listingInterval`. A node that refuses the probe
    /// (an ACL without it) is polled with listings alone, as before.
    private func waitForJob(on source: RedisConnection, excluding before: Set<String>, rangeText: String, probeSlot: Int,
                            log: inout CommandLog) async throws {
        let deadline = Date().addingTimeInterval(600)
        var cancelSent = false
        var failedPolls = 0
        let started = ContinuousClock.now
        let wakes = NIOLockedValueBox(0)
        let waker = wakeTarget(slot: probeSlot, started: started, counting: wakes)
        defer {
            waker.cancel()
            log.add("CLUSTER COUNTKEYSINSLOT (target, wake-up)", count: wakes.withLockedValue { $0 })
        }
        var probing = true
        var listedAt: ContinuousClock.Instant?
        while Date() < deadline {
            if control.isCancelled && !cancelSent {
                _ = try await source.run("CLUSTER CANCELSLOTMIGRATIONS", [["CLUSTER", "CANCELSLOTMIGRATIONS"]])
                log.add("CLUSTER CANCELSLOTMIGRATIONS")
                cancelSent = true
            }
            // After a cancel, only listings: they say how the job ended.
            if probing, !cancelSent, let listedAt, ContinuousClock.now - listedAt < Self.listingInterval {
                if let owned = try? await ownsSlot(source, probeSlot) {
                    log.add("CLUSTER SLOT-STATS")
                    // Still the source's: wait. Gone from it: list now.
                    if owned {
                        try? await Task.sleep(for: Self.pollInterval(after: ContinuousClock.now - started))
                        continue
                    }
                } else {
                    probing = false
                }
            }
            // A poll that fails is retried: the job runs on the server whatever our connection does.
            let listed: [SlotMigrationJob]
            do {
                listed = try await jobs(on: source)
                listedAt = ContinuousClock.now
                failedPolls = 0
            } catch {
                failedPolls += 1
                if failedPolls >= 20 { throw ActionError.timedOut("cannot read CLUSTER GETSLOTMIGRATIONS from \(source.address) (\(error)); the job for \(rangeText) may still be running on the server: check `shardtop check`") }
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            let mine = listed.first { !before.contains($0.name) && $0.operation == "EXPORT" && $0.slotRanges == rangeText }
            log.add("CLUSTER GETSLOTMIGRATIONS")
            if let mine {
                switch mine.state {
                case "success": return
                case "failed", "cancelled", "canceled":
                    if cancelSent { throw ActionError.cancelled }
                    throw ActionError.atomicJobFailed(ranges: rangeText, state: mine.state, message: mine.message)
                default: break
                }
            }
            try? await Task.sleep(for: Self.pollInterval(after: ContinuousClock.now - started))
        }
        throw ActionError.timedOut("atomic migration of \(rangeText) did not finish within 600 s; it may still be running on the server (CLUSTER GETSLOTMIGRATIONS on \(source.address))")
    }

    /// Keeps the target's event loop turning while the job runs: a command of about a microsecond
    /// (COUNTKEYSINSLOT, which the recommended users may send) at the poll's own rhythm.
    ///
    /// Why: when the target takes the slots over (valkey 9: `performSlotImportJobFailover`, run from
    /// `clusterBeforeSleep`), the broadcast that tells the source is flagged for the target's *next*
    /// event-loop pass. An idle target makes that pass only at its next timer, up to 1000/hz ms later
    /// (100 ms at the default hz 10), while the source sits paused waiting for the news: the job
    /// ended in one of two groups about 100 ms apart whoever drove it. Any command arriving wakes
    /// the loop and the broadcast leaves at once. A refusal or a lost connection ends the wake-ups
    /// only; the job's outcome is read from the source as before.
    ///
    /// The task is cancelled, not awaited, when the job ends: a target that stopped answering must
    /// not hold up the result. `counting` says how many were sent, for the journal.
    private func wakeTarget(slot: Int, started: ContinuousClock.Instant, counting sent: NIOLockedValueBox<Int>) -> Task<Void, Never> {
        let command = [["CLUSTER", "COUNTKEYSINSLOT", "\(slot)"]]
        return Task { [links, plan] in
            guard let target = try? await links.connection(plan.targetAddress) else { return }
            while !Task.isCancelled {
                sent.withLockedValue { $0 += 1 }
                guard let reply = try? await target.run("CLUSTER COUNTKEYSINSLOT", command).first, reply.errorMessage == nil else { return }
                try? await Task.sleep(for: Self.pollInterval(after: ContinuousClock.now - started))
            }
        }
    }

    /// How long to wait before the next poll (a probe or a listing): 1% of the job's age, between 1 and 50 ms.
    /// A job is seen done at most one interval late, so the wait adds at most about 1% to any job
    /// (a flat 50 ms after the first second added up to 5% to a 1 s job); a poll costs the server
    /// about 20 us, so 1 ms polls while a job is young are cheap, and a job of minutes is polled
    /// every 50 ms rather than hammering a production primary.
    static func pollInterval(after age: Duration) -> Duration {
        min(max(age / 100, .milliseconds(1)), .milliseconds(50))
    }

    /// The longest the poll goes without a listing (see `waitForJob`).
    static let listingInterval = Duration.milliseconds(50)

    /// Whether the source still owns `slot`: CLUSTER SLOT-STATS lists only the node's own slots.
    /// Throws when the node refuses it or answers in another shape, and the poll stops probing.
    private func ownsSlot(_ source: RedisConnection, _ slot: Int) async throws -> Bool {
        let reply = try await source.run("CLUSTER SLOT-STATS", [["CLUSTER", "SLOT-STATS", "SLOTSRANGE", "\(slot)", "\(slot)"]])[0]
        guard reply.errorMessage == nil, let entries = reply.array else { throw ActionError.refused(step: "CLUSTER SLOT-STATS", node: source.address, reply: reply.errorMessage ?? "not an array") }
        return !entries.isEmpty
    }

    /// The jobs CLUSTER GETSLOTMIGRATIONS lists on the source.
    private func jobs(on source: RedisConnection) async throws -> [SlotMigrationJob] {
        let reply = try await source.run("CLUSTER GETSLOTMIGRATIONS", [["CLUSTER", "GETSLOTMIGRATIONS"]])[0]
        if let error = reply.errorMessage { throw ActionError.refused(step: "CLUSTER GETSLOTMIGRATIONS", node: source.address, reply: error) }
        return SlotMigrationJob.parse(reply)
    }
}
