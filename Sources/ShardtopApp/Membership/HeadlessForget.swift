import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop forget`: clear ghost nodes (failed everywhere, owning nothing) from every live node.
public struct HeadlessForget: Sendable {
    public let node: String?
    public let dryRun: Bool

    public init(node: String?, dryRun: Bool) {
        self.node = node
        self.dryRun = dryRun
    }

    public func run(session: ActionSession) async throws {
        let views = try await session.membershipViews(action: "forget")
        var ghosts: [Ghost]
        if let node {
            let target = try session.node(node)
            if let refusal = await session.ghostRefusal(target.id, views: views) {
                try await session.refuse("refusing to forget \(target.address): \(refusal); nothing was sent", action: "forget", nodes: [target])
            }
            ghosts = GhostFinder.ghost(target.id, views: views).map { [$0] } ?? []
        } else {
            ghosts = []
            var refused: [Ghost] = []
            for suspect in GhostFinder.suspects(views) {
                // The pure reason first (views only); then the one that dials the node.
                let refusal: String?
                if let reason = suspect.refusal { refusal = reason } else { refusal = await session.ghostRefusal(suspect.ghost.id, views: views) }
                if let refusal {
                    print("not forgetting \(suspect.ghost.label): \(refusal)")
                    refused.append(suspect.ghost)
                } else {
                    ghosts.append(suspect.ghost)
                }
            }
            // Only failed-looking nodes that cannot go yet: say so, and exit 1 (the cluster still
            // lists them), rather than "nothing to forget", which read as a clean cluster.
            if ghosts.isEmpty, !refused.isEmpty {
                try await session.refuse(
                    "nothing forgotten: \(refused.count) node\(refused.count == 1 ? "" : "s") listed as failed or suspected cannot be forgotten yet (see above)",
                    action: "forget", nodes: refused.compactMap { session.node(withId: $0.id) })
            }
        }
        guard !ghosts.isEmpty else {
            print("no ghost nodes: nothing to forget")
            await session.close()
            return
        }
        try await Self.forget(ghosts, session: session, action: "forget", dryRun: dryRun)
        await session.close()
    }

    /// Preview, guards, confirm, FORGET everywhere. Shared with `fix`.
    public static func forget(_ ghosts: [Ghost], session: ActionSession, action: String, dryRun: Bool) async throws {
        let ids = Set(ghosts.map(\.id))
        let involved = ghosts.compactMap { session.node(withId: $0.id) }
        let live = session.liveMembers(excluding: ids)
        print("forget \(ghosts.count) ghost node\(ghosts.count == 1 ? "" : "s"):")
        for ghost in ghosts { print("  \(ghost.summary)") }
        print("  CLUSTER FORGET on each of \(live.count) live nodes within the 60 s ban window, re-read until none lists \(ghosts.count == 1 ? "it" : "them")")
        if dryRun { return }
        try await session.refuseOtherProblems(allowing: ids, action: action, verb: "forget nodes", nodes: involved)
        try await session.requirePermissions(ActionPermissions.touches(forgettingOn: live.map(\.address)), action: action, verb: "forget nodes", nodes: involved)
        guard try session.confirm("Forget \(ghosts.count == 1 ? ghosts[0].label : "\(ghosts.count) nodes") on every live node?") else {
            print("not confirmed; nothing sent")
            await session.close()
            throw ExitCode(ExitStatus.problemsFound)
        }
        let lease = try await session.lease(live.map(\.address), verb: "forget", action: action, nodes: involved)
        defer { lease.release() }
        session.record(action, nodes: involved, commands: [], outcome: .started, detail: "forget \(ghosts.map(\.label).joined(separator: ", ")) on \(live.count) live nodes")
        _ = try await session.forgetEverywhere(ghosts.map(\.id), on: live.map(\.address), action: action, involved: involved)
        print("forgotten: no live node lists \(ghosts.map(\.label).joined(separator: ", ")) any more")
    }
}
