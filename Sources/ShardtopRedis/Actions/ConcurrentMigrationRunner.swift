import ShardtopCore

/// Runs several migration plans, up to `limit` at once (rebalance): moves between different pairs
/// of primaries overlap their round trips, and the nodes' saves of nodes.conf, instead of waiting
/// for each other. Which moves may overlap is `MoveConcurrency`'s rule.
///
/// The guards are those of one move: one operation lease covers every node of every plan for the
/// whole run (leases of the same process on one node would take each other for rivals); before
/// anything is sent, every plan's nodes are checked idle and its source still owning its slots;
/// each move keeps its own finalise checks (keys re-counted, epoch, marks still ours). Each move
/// gets its own connections, so a small request of one does not queue behind another's MIGRATE.
/// The first failure cancels the rest between rounds (no slot is left open) and is thrown.
public struct ConcurrentMigrationRunner: Sendable {
    public let runner: MigrationRunner
    public let limit: Int

    public init(runner: MigrationRunner, limit: Int) {
        self.runner = runner
        self.limit = max(1, limit)
    }

    /// `started` and `finished` are called from the calling task, in order; `progress` from the moves.
    public func run(
        _ plans: [MigrationPlan], primaries: [NodeAddress],
        started: @Sendable (Int) -> Void,
        progress: @escaping @Sendable (Int, MigrationProgress) -> Void,
        finished: @Sendable (Int, Result<MigrationOutcome, any Error>) -> Void
    ) async throws {
        if limit == 1 || plans.count <= 1 {
            // One at a time: each move takes its own lease, exactly as `migrate` does.
            for (index, plan) in plans.enumerated() {
                started(index)
                do {
                    let outcome = try await runner.run(plan, primaries: primaries) { progress(index, $0) }
                    finished(index, .success(outcome))
                } catch {
                    finished(index, .failure(error))
                    throw error
                }
            }
            return
        }
        let links = runner.links
        let nodes = Array(Set(plans.flatMap { [$0.sourceAddress, $0.targetAddress] }))
        let lease = try await OperationLease.acquire(on: nodes, verb: "migrate", options: await links.connectionOptions)
        defer { lease.release() }
        if runner.refuseOpenSlots {
            for plan in plans {
                let source = try await links.connection(plan.sourceAddress)
                try await OtherActivity.checkIdle([source, try await links.connection(plan.targetAddress)], source: source, slots: plan.slots)
            }
        }
        let options = await links.connectionOptions
        let control = runner.control
        var failure: (any Error)?
        await withTaskGroup(of: (Int, Result<MigrationOutcome, any Error>).self) { group in
            var waiting = Array(plans.indices)
            var running: [Int] = []
            while true {
                while failure == nil, !control.isCancelled, running.count < limit,
                      let next = waiting.firstIndex(where: { candidate in MoveConcurrency.canRun(plans[candidate], beside: running.map { plans[$0] }) }) {
                    let index = waiting.remove(at: next)
                    running.append(index)
                    started(index)
                    let own = MigrationRunner(links: ActionLinks(options: options, requestTimeout: options.requestTimeout), settings: runner.settings,
                                              control: control, refuseOpenSlots: runner.refuseOpenSlots)
                    let plan = plans[index]
                    let leaseNotes = index == plans.startIndex ? lease.notes : []
                    group.addTask {
                        let result: Result<MigrationOutcome, any Error>
                        do {
                            var outcome = try await own.runPath(plan, primaries: primaries) { progress(index, $0) }
                            outcome.notes = leaseNotes + outcome.notes
                            result = .success(outcome)
                        } catch {
                            result = .failure(error)
                        }
                        await own.links.close()
                        return (index, result)
                    }
                }
                guard let done = await group.next() else { break }
                let (index, result) = done
                running.removeAll { $0 == index }
                finished(index, result)
                if case .failure(let error) = result, failure == nil {
                    failure = error
                    control.cancel()
                }
            }
            if failure == nil, !waiting.isEmpty { failure = ActionError.cancelled }
        }
        if let failure { throw failure }
    }
}
