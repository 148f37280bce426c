/// Which commands each action sends to which node, in one place, read off the engine
/// (FailoverRunner, MigrationSurvey, LegacyMigrator, SlotMover, AtomicMigrator, SlotRepairer).
/// The ACL preflight checks exactly these; a command added to the engine belongs here too.
public enum ActionPermissions {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case failover
        case legacyMigration
        case atomicMigration
        case fix
    }

    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// The replica CLUSTER FAILOVER goes to.
        case replica
        case source
        case target
        /// Primaries told SETSLOT NODE at finalise so their redirects are right sooner.
        case otherPrimary
    }

    public static func requirements(_ kind: Kind, _ role: Role) -> [ACLRequirement] {
        switch (kind, role) {
        case (.failover, .replica):
            return [.failover] + lease
        case (.legacyMigration, .source):
            // Survey (counts, sampled keys, sizes), SETSLOT MIGRATING/NODE, the drain, the
            // BUSYKEY comparison (EXISTS, ASKING + DUMP), the finalise guard and the epoch guard.
            return [.countKeysInSlot, .getKeysInSlot, .memoryUsage, .setSlot, .migrate, .asking, .exists, .dump, .clusterNodes] + lease
        case (.legacyMigration, .target):
            // SETSLOT IMPORTING/NODE, ASKING + DUMP for BUSYKEY, the epoch guard; and what MIGRATE
            // itself sends there as our user: SELECT and RESTORE-ASKING.
            return [.setSlot, .asking, .dump, .clusterNodes, .select, .restoreAsking] + lease
        case (.legacyMigration, .otherPrimary), (.fix, .otherPrimary):
            return [.setSlot]
        case (.atomicMigration, .source):
            // The target is reached by the server itself, not by us: it needs nothing from our user.
            return [.countKeysInSlot, .getKeysInSlot, .memoryUsage, .migrateSlots, .getSlotMigrations, .cancelSlotMigrations, .clusterNodes] + lease
        case (.fix, .source), (.fix, .target):
            // Either node can end up sending keys (resume, rollback, or a move finished and then
            // undone), and keys sent back to a live owner that already has them are deleted (DEL).
            return unique(requirements(.legacyMigration, .source) + requirements(.legacyMigration, .target) + [.del])
        default:
            return []
        }
    }

    /// The operation lease every failover and migration takes on the nodes it touches, so two
    /// operators cannot act on them at once (OperationLease); the re-check reads CLUSTER NODES.
    static let lease: [ACLRequirement] = [.clientSetName, .clientList]

    /// Failing over to `replica`.
    public static func touches(failoverTo replica: NodeAddress) -> [ACLTouch] {
        [ACLTouch(node: replica, requirements: requirements(.failover, .replica))]
    }

    /// Running `plans` (migrate, rebalance, the dashboard's moves); `primaries` are every primary
    /// the legacy finalise tells.
    public static func touches(migrating plans: [MigrationPlan], primaries: [NodeAddress]) -> [ACLTouch] {
        var merged = TouchSet()
        for plan in plans {
            let kind: Kind = plan.path == .atomic ? .atomicMigration : .legacyMigration
            merged.add(plan.sourceAddress, requirements(kind, .source))
            merged.add(plan.targetAddress, requirements(kind, .target))
            guard kind == .legacyMigration else { continue }
            for other in primaries where other != plan.sourceAddress && other != plan.targetAddress {
                merged.add(other, requirements(kind, .otherPrimary))
            }
        }
        return merged.touches
    }

    /// Settling `repairs` (fix): both nodes of each open slot, and every other reachable primary.
    public static func touches(fixing repairs: [SlotRepair], snapshot: ClusterSnapshot) -> [ACLTouch] {
        var merged = TouchSet()
        let primaries = snapshot.primaries.filter { !$0.isUnknownSeed && $0.isReachable }
        for repair in repairs {
            for id in [repair.sourceId, repair.targetId] {
                if let node = snapshot.node(id: id) { merged.add(node.address, requirements(.fix, .source)) }
            }
            for other in primaries where other.id != repair.sourceId && other.id != repair.targetId {
                merged.add(other.address, requirements(.fix, .otherPrimary))
            }
        }
        return merged.touches
    }

    /// The dashboard's check at start, before any plan exists: failover on every replica, and the
    /// legacy path in any direction on every primary (any primary can be a source or a target).
    /// The atomic path is checked when a move is planned, since its rules differ per plan.
    public static func dashboardTouches(_ snapshot: ClusterSnapshot) -> (failover: [ACLTouch], migration: [ACLTouch]) {
        let live = snapshot.nodes.filter { !$0.isUnknownSeed && $0.isReachable }
        let failover = live.filter { !$0.isPrimary }.flatMap { touches(failoverTo: $0.address) }
        let anyRole = unique(Role.allCases.flatMap { requirements(.legacyMigration, $0) })
        let migration = live.filter(\.isPrimary).map { ACLTouch(node: $0.address, requirements: anyRole) }
        return (failover, migration)
    }

    static func unique(_ list: [ACLRequirement]) -> [ACLRequirement] {
        var seen = Set<ACLRequirement>()
        return list.filter { seen.insert($0).inserted }
    }
}

/// One node an action will touch and every command it will send there.
public struct ACLTouch: Sendable, Hashable {
    public var node: NodeAddress
    public var requirements: [ACLRequirement]

    public init(node: NodeAddress, requirements: [ACLRequirement]) {
        self.node = node
        self.requirements = requirements
    }
}

/// Touches merged per node, in first-seen order.
private struct TouchSet {
    var touches: [ACLTouch] = []

    mutating func add(_ node: NodeAddress, _ requirements: [ACLRequirement]) {
        guard !requirements.isEmpty else { return }
        if let index = touches.firstIndex(where: { $0.node == node }) {
            touches[index].requirements = ActionPermissions.unique(touches[index].requirements + requirements)
        } else {
            touches.append(ACLTouch(node: node, requirements: requirements))
        }
    }
}
