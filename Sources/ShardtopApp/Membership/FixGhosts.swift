import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

extension ActionSession {
    /// `fix` also clears ghosts (see HeadlessForget): it lists them and forgets them when confirmed,
    /// under the same guards as `shardtop forget`. Without a terminal and without --yes it only lists.
    public func offerForgettingGhosts() async throws {
        let read = await MembershipReader.read(liveMembers().map(\.address), links: links)
        guard read.failures.isEmpty else { return }
        var ghosts: [Ghost] = []
        for candidate in GhostFinder.ghosts(read.views) {
            if await ghostRefusal(candidate.id, views: read.views) == nil { ghosts.append(candidate) }
        }
        guard !ghosts.isEmpty else { return }
        if !assumeYes && !interactive {
            print("\(ghosts.count) ghost node\(ghosts.count == 1 ? "" : "s") (failed everywhere, owning nothing):")
            for ghost in ghosts { print("  \(ghost.summary)") }
            print("forget them with: shardtop forget \(seedText) --yes")
            return
        }
        try await HeadlessForget.forget(ghosts, session: self, action: "fix", dryRun: false)
    }
}
