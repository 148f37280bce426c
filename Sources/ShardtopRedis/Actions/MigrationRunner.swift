import ShardtopCore

/// Runs migration plans one after another through the path each plan names. Used by the
/// dashboard, `migrate`, `rebalance` and (for single slots) `fix`.
public struct MigrationRunner: Sendable {
    public let links: ActionLinks
    public let settings: MigrationSettings
    public let control: OperationControl
    /// False for `fix`, which works on slots that are open by definition (and half-finalised ones,
    /// whose marks the finalise re-check would take for someone else's).
    public let refuseOpenSlots: Bool

    public init(links: ActionLinks, settings: MigrationSettings = MigrationSettings(), control: OperationControl = OperationControl(),
                refuseOpenSlots: Bool = true) {
        self.links = links
        self.settings = settings
        self.control = control
        self.refuseOpenSlots = refuseOpenSlots
    }

    /// - Parameter primaries: every primary's address, so finalise can tell the ones not involved.
    public func run(_ plan: MigrationPlan, primaries: [NodeAddress], progress: @escaping @Sendable (MigrationProgress) -> Void) async throws -> MigrationOutcome {
        // Another operation on either node refuses this one before it sends anything.
        let lease = try await OperationLease.acquire(
            on: [plan.sourceAddress, plan.targetAddress], verb: "migrate", options: await links.connectionOptions
        )
        defer { lease.release() }
        if refuseOpenSlots {
            let source = try await links.connection(plan.sourceAddress)
            try await OtherActivity.checkIdle([source, try await links.connection(plan.targetAddress)], source: source, slots: plan.slots)
        }
        var outcome = try await runPath(plan, primaries: primaries, progress: progress)
        outcome.notes = lease.notes + outcome.notes
        return outcome
    }

    func runPath(_ plan: MigrationPlan, primaries: [NodeAddress], progress: @escaping @Sendable (MigrationProgress) -> Void) async throws -> MigrationOutcome {
        switch plan.path {
        case .legacy:
            let others = primaries.filter { $0 != plan.sourceAddress && $0 != plan.targetAddress }
            return try await LegacyMigrator(
                plan: plan, links: links, otherPrimaries: others, settings: settings, control: control,
                recheckBeforeFinalise: refuseOpenSlots, progress: progress
            ).run()
        case .atomic:
            return try await AtomicMigrator(plan: plan, links: links, settings: settings, control: control, progress: progress).run()
        }
    }
}
