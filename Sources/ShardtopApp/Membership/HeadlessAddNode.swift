import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop add-node`: preflight the new node, MEET, wait until every node knows it, REPLICATE when asked, offer a rebalance onto a new primary.
public struct HeadlessAddNode: Sendable {
    public static let actionName = "add-node"

    public let newNode: String
    public let replicaOf: String?
    public let rebalance: Bool
    public let dryRun: Bool
    public let path: MigrationPathChoice
    public let settings: MigrationSettings

    public init(newNode: String, replicaOf: String?, rebalance: Bool, dryRun: Bool, path: MigrationPathChoice, settings: MigrationSettings) {
        self.newNode = newNode
        self.replicaOf = replicaOf
        self.rebalance = rebalance
        self.dryRun = dryRun
        self.path = path
        self.settings = settings
    }

    public func run(session: ActionSession) async throws {
        var primaryNode: SnapshotNode?
        if let replicaOf {
            let chosen = try session.node(replicaOf)
            guard chosen.isPrimary, chosen.isReachable else {
                try await session.refuse("refusing: --replica-of \(chosen.address) is not a live primary", action: Self.actionName, nodes: [chosen])
            }
            primaryNode = chosen
        }
        try await session.refuseOtherProblems(allowing: [], action: Self.actionName, verb: "add a node", nodes: [])
        let candidate = try await session.preflightCandidate(newNode, replicaOf: primaryNode, action: Self.actionName)
        let members = session.liveMembers()
        print("plan: add \(session.candidateLines(candidate))")
        print("  - CLUSTER MEET \(candidate.address.host) \(candidate.address.port) \(candidate.busPort ?? 0) through \(members.first { $0.isPrimary }?.address ?? members[0].address)")
        print("  - wait until all \(members.count) nodes know it")
        if let primaryNode { print("  - CLUSTER REPLICATE \(primaryNode.id.prefix(8)) (\(primaryNode.address)) on it, then wait for its first sync") }
        else { print("  - as an empty primary; then a rebalance onto it is offered") }
        if dryRun { return await session.close() }
        let touches = ActionPermissions.touches(adding: candidate.address, introducer: (members.first { $0.isPrimary } ?? members[0]).address,
                                                members: members.map(\.address), replicate: primaryNode != nil)
        try await session.requirePermissions(touches, action: Self.actionName, verb: "add a node", nodes: primaryNode.map { [$0] } ?? [])
        guard try session.confirm("Add \(candidate.address) to the cluster?") else {
            print("not confirmed; nothing sent")
            await session.close()
            throw ExitCode(ExitStatus.problemsFound)
        }
        session.record(Self.actionName, nodes: primaryNode.map { [$0] } ?? [], commands: [], outcome: .started,
                       detail: "add \(candidate.address) \(candidate.id?.prefix(8) ?? "") as \(primaryNode.map { "replica of \($0.address)" } ?? "empty primary")")
        do {
            let lease = try await session.lease(members.map(\.address) + [candidate.address], verb: "add-node", action: Self.actionName, nodes: [])
            defer { lease.release() }
            try await session.join(candidate, replicaOf: primaryNode, members: members, action: Self.actionName)
        }
        session.record(Self.actionName, nodes: [], commands: [], outcome: .succeeded, detail: "\(candidate.address) added as \(primaryNode.map { "replica of \($0.address)" } ?? "empty primary")")
        if primaryNode == nil { try await offerRebalance(candidate, session: session) }
        await session.close()
    }

    /// An empty primary serves nothing until slots move to it: the planner's proposal, run on
    /// request (--rebalance, or yes at the prompt), else the command to run later.
    private func offerRebalance(_ candidate: CandidateNode, session: ActionSession) async throws {
        _ = await session.refresh()
        let snapshot = await session.poller.settled(await session.refresh())
        guard snapshot.node(id: candidate.id ?? "")?.isReachable == true else {
            print("to move slots onto it: shardtop rebalance \(session.seedText)")
            return
        }
        let plan = RebalancePlanner.plan(snapshot, metric: .slots)
        guard !plan.moves.isEmpty else { return }
        print(RebalancePlanText.lines(plan, snapshot: snapshot).joined(separator: "\n"))
        let wanted = rebalance || (!session.assumeYes && session.interactive && (try? session.confirm("Rebalance onto \(candidate.address) now?")) == true)
        guard wanted else {
            print("not rebalanced; later: shardtop rebalance \(session.seedText)")
            return
        }
        let problems = ActionPreconditions.blockingProblems(snapshot)
        if !problems.isEmpty { try await session.refuse(ActionPreconditions.refusal(problems, snapshot: snapshot, action: "rebalance"), action: "rebalance", nodes: []) }
        var plans: [MigrationPlan] = []
        for move in plan.moves {
            guard let source = snapshot.node(id: move.fromId), let target = snapshot.node(id: move.toId) else { continue }
            plans.append(try PathOverride.apply(path, to: MigrationPlanner.plan(source: source, target: target, slots: move.slots)))
        }
        try await session.requirePermissions(ActionPermissions.touches(migrating: plans, primaries: session.reachablePrimaries),
                                             action: "rebalance", verb: "rebalance", nodes: plans.involvedNodes(snapshot))
        try await MigrationExecution(session: session, settings: settings, action: "rebalance").run(plans, askFirst: false, closeAfter: false)
    }
}
