import ShardtopCore

/// Runs migration plans one after another through the path each plan names. Used by the
/// dashboard, `migrate`, `rebalance` and (for single slots) `fix`.
public struct MigrationRunner: Sendable {
    public let links: ActionLinks
    public let settings: MigrationSettings
    public let control: OperationControl

    public init(links: ActionLinks, settings: MigrationSettings = MigrationSettings(), control: OperationControl = OperationControl()) {
        self.links = links
        self.settings = settings
        self.control = control
    }

    /// - Parameter primaries: every primary's address, so finalise can tell the ones not involved.
    public func run(_ plan: MigrationPlan, primaries: [NodeAddress], progress: @escaping @Sendable (MigrationProgress) -> Void) async throws -> MigrationOutcome {
        switch plan.path {
        case .legacy:
            let others = primaries.filter { $0 != plan.sourceAddress && $0 != plan.targetAddress }
            return try await LegacyMigrator(plan: plan, links: links, otherPrimaries: others, settings: settings, control: control, progress: progress).run()
        case .atomic:
            return try await AtomicMigrator(plan: plan, links: links, settings: settings, control: control, progress: progress).run()
        }
    }
}
