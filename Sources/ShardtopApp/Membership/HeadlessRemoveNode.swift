import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop remove-node`: drain when asked, re-home its replicas, FORGET it everywhere, reset it so gossip cannot bring it back.
public struct HeadlessRemoveNode: Sendable {
    public static let actionName = "remove-node"

    public let node: String
    public let drain: Bool
    public let shutdown: Bool
    public let dryRun: Bool
    public let path: MigrationPathChoice
    public let settings: MigrationSettings

    public init(node: String, drain: Bool, shutdown: Bool, dryRun: Bool, path: MigrationPathChoice, settings: MigrationSettings) {
        self.node = node
        self.drain = drain
        self.shutdown = shutdown
        self.dryRun = dryRun
        self.path = path
        self.settings = settings
    }

    public func run(session: ActionSession) async throws {
        let target = try session.node(node)
        let plan: NodeRemovalPlan
        switch NodeRemovalPlanner.plan(session.snapshot, nodeId: target.id, drain: drain) {
        case .failure(let refusal): try await session.refuse("refusing to remove \(target.address): \(refusal); nothing was sent", action: Self.actionName, nodes: [target])
        case .success(let made): plan = made
        }
        print(Self.lines(plan, snapshot: session.snapshot).joined(separator: "\n"))
        if dryRun { return await session.close() }
        // The node's own findings (a replica still syncing from the primary a drain just gave it)
        // do not block its removal; anything else about the cluster does.
        try await session.refuseOtherProblems(allowing: [target.id], action: Self.actionName, verb: "remove a node", nodes: [target])

        var migrationPlans: [MigrationPlan] = []
        for move in plan.drain?.moves ?? [] {
            guard let source = session.snapshot.node(id: move.fromId), let to = session.snapshot.node(id: move.toId) else { continue }
            migrationPlans.append(try PathOverride.apply(path, to: MigrationPlanner.plan(source: source, target: to, slots: move.slots)))
        }
        let replicas = plan.replicaMoves.compactMap { session.snapshot.node(id: $0.replicaId) }
        var touches = ActionPermissions.touches(removing: target.address, forgetOn: plan.forgetOn.map(\.address), replicas: replicas.map(\.address), shutdown: shutdown)
        touches += ActionPermissions.touches(migrating: migrationPlans, primaries: session.reachablePrimaries)
        try await session.requirePermissions(touches, action: Self.actionName, verb: "remove a node", nodes: [target])

        if let confirmation = plan.confirmation {
            guard try session.confirmTyped(confirmation) else {
                try await session.refuse("not confirmed; nothing sent", action: Self.actionName, nodes: [target])
            }
        }
        guard try session.confirm("Remove \(target.address) from the cluster?") else {
            print("not confirmed; nothing sent")
            await session.close()
            throw ExitCode(ExitStatus.problemsFound)
        }
        session.record(Self.actionName, nodes: [target], commands: [], outcome: .started, detail: Self.summary(plan, snapshot: session.snapshot))

        if !migrationPlans.isEmpty {
            // The migration engine takes its own lease per move and journals each move.
            try await MigrationExecution(session: session, settings: settings, action: Self.actionName)
                .run(migrationPlans, askFirst: false, closeAfter: false)
            // Draining the last slot turns the node (and its replicas) into replicas of the taker:
            // plan the rest again over what the cluster looks like now.
            _ = await session.refresh()
            _ = await session.poller.settled(session.snapshot)
            _ = await session.refresh()
        }
        try await removeMembership(target, session: session)
        await session.close()
    }

    /// Re-home replicas, FORGET everywhere, reset (and stop) the node, under one lease.
    private func removeMembership(_ target: SnapshotNode, session: ActionSession) async throws {
        let action = Self.actionName
        let others = session.liveMembers(excluding: [target.id])
        let lease = try await session.lease(others.map(\.address) + [target.address], verb: "remove-node", action: action, nodes: [target])
        defer { lease.release() }
        let snapshot = session.snapshot
        try await session.runSteps(action: action) { steps in
            try await steps.remove(target, snapshot: snapshot, others: others, shutdown: shutdown)
        }
        session.record(action, nodes: [target], commands: [], outcome: .succeeded, detail: "\(target.address) removed: no remaining node lists it")
        print("removed \(target.address): no remaining node lists it")
    }

    public static func summary(_ plan: NodeRemovalPlan, snapshot: ClusterSnapshot) -> String {
        NodeRemovalPlanText.summary(plan, snapshot: snapshot)
    }

    public static func lines(_ plan: NodeRemovalPlan, snapshot: ClusterSnapshot) -> [String] {
        NodeRemovalPlanText.lines(plan, snapshot: snapshot)
    }
}
