import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop replace`: the new node joins as a replica of the right primary, and the dead one is forgotten everywhere.
public struct HeadlessReplace: Sendable {
    public static let actionName = "replace"

    public let dead: String
    public let newNode: String
    public let dryRun: Bool

    public init(dead: String, newNode: String, dryRun: Bool) {
        self.dead = dead
        self.newNode = newNode
        self.dryRun = dryRun
    }

    public func run(session: ActionSession) async throws {
        let deadNode = try session.node(dead)
        let views = try await session.membershipViews(action: Self.actionName, excluding: [deadNode.id])
        if let refusal = await session.ghostRefusal(deadNode.id, views: views) {
            try await session.refuse("refusing to replace \(deadNode.address): \(refusal); nothing was sent", action: Self.actionName, nodes: [deadNode])
        }
        guard let ghost = GhostFinder.ghost(deadNode.id, views: views) else {
            try await session.refuse("no live node lists \(deadNode.address)", action: Self.actionName, nodes: [deadNode])
        }
        let primary: SnapshotNode
        switch ReplacementPlanner.primary(for: ghost, snapshot: session.snapshot) {
        case .failure(let refusal): try await session.refuse("refusing to replace \(deadNode.address): \(refusal)", action: Self.actionName, nodes: [deadNode])
        case .success(let chosen): primary = chosen
        }
        try await session.refuseOtherProblems(allowing: [deadNode.id], action: Self.actionName, verb: "replace a node", nodes: [deadNode])
        let candidate = try await session.preflightCandidate(newNode, replicaOf: primary, action: Self.actionName)
        let members = session.liveMembers(excluding: [deadNode.id])
        let why = ghost.primaryId == nil ? "the serving primary with the fewest healthy replicas (the dead node was a primary)" : "the dead replica's primary"
        print("plan: replace \(ghost.summary)")
        print("  with \(session.candidateLines(candidate))")
        print("  - CLUSTER MEET, wait until all \(members.count) nodes know it")
        print("  - CLUSTER REPLICATE \(primary.address) (\(why)), wait for its first sync")
        print("  - CLUSTER FORGET \(deadNode.id.prefix(8)) on \(members.count + 1) live nodes within the 60 s ban window")
        if dryRun { return await session.close() }
        let introducer = members.first { $0.isPrimary } ?? members[0]
        let touches = ActionPermissions.touches(adding: candidate.address, introducer: introducer.address, members: members.map(\.address), replicate: true)
            + ActionPermissions.touches(forgettingOn: members.map(\.address) + [candidate.address])
        try await session.requirePermissions(touches, action: Self.actionName, verb: "replace a node", nodes: [deadNode, primary])
        guard try session.confirm("Replace \(deadNode.address) with \(candidate.address)?") else {
            print("not confirmed; nothing sent")
            await session.close()
            throw ExitCode(ExitStatus.problemsFound)
        }
        session.record(Self.actionName, nodes: [deadNode, primary], commands: [], outcome: .started,
                       detail: "replace \(ghost.label) with \(candidate.address) as replica of \(primary.address)")
        let lease = try await session.lease(members.map(\.address) + [candidate.address], verb: "replace", action: Self.actionName, nodes: [deadNode])
        defer { lease.release() }
        try await session.join(candidate, replicaOf: primary, members: members, action: Self.actionName)
        _ = try await session.forgetEverywhere([deadNode.id], on: members.map(\.address) + [candidate.address], action: Self.actionName, involved: [deadNode])
        session.record(Self.actionName, nodes: [deadNode, primary], commands: [], outcome: .succeeded,
                       detail: "\(ghost.label) replaced by \(candidate.address), replica of \(primary.address); the dead node is forgotten everywhere")
        print("replaced: \(candidate.address) replicates \(primary.address); \(ghost.label) is forgotten everywhere")
        await session.close()
    }
}
