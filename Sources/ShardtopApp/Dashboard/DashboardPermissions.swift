import Foundation
import ShardtopCore
import ShardtopRedis
import ShardtopUI

/// The dashboard's ACL preflight: once the first snapshot shows the nodes, and again whenever the
/// set of reachable nodes changes, asks every node whether the user may run what each kind of
/// action sends there. The answer goes to the store (ActionAccess), which disables denied keys.
public final class DashboardPermissions: @unchecked Sendable {
    private let options: ConnectionOptions
    private let lock = NSLock()
    private var checkedNodes: Set<NodeAddress> = []
    private var running = false
    private weak var store: DashboardStore?

    public init(options: ConnectionOptions) {
        self.options = options
    }

    public func attach(_ store: DashboardStore) { self.store = store }

    /// Called with every snapshot; starts a check only when the node set differs from the last one
    /// checked and no check is running (the next snapshot catches a change made meanwhile).
    public func follow(_ snapshot: ClusterSnapshot) {
        let nodes = Set(snapshot.nodes.filter { !$0.isUnknownSeed && $0.isReachable }.map(\.address))
        guard !nodes.isEmpty else { return }
        let start: Bool = lock.withLock {
            guard !running, nodes != checkedNodes else { return false }
            running = true
            checkedNodes = nodes
            return true
        }
        guard start else { return }
        Task {
            await check(snapshot)
            lock.withLock { running = false }
        }
    }

    private func check(_ snapshot: ClusterSnapshot) async {
        // Its own connections, closed afterwards: a running migration's are not shared or kept busy.
        let links = ActionLinks(options: options)
        let touches = ActionPermissions.dashboardTouches(snapshot)
        let failover = await ACLPreflight.check(touches.failover, links: links)
        let migration = await ACLPreflight.check(touches.migration, links: links)
        let membership = await ACLPreflight.check(ActionPermissions.dashboardMembershipTouches(snapshot), links: links)
        await links.close()
        let unchecked = ACLPreflightResult(user: failover.user, unchecked: failover.unchecked + migration.unchecked + membership.unchecked)
        store?.dispatch(.actionAccessChecked(ActionAccess(failover: failover.denialReason, migration: migration.denialReason,
                                                          membership: membership.denialReason, note: unchecked.uncheckedNote)))
    }
}
