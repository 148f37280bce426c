import Foundation
import ShardtopCore

/// Introduces a new node to the cluster and, when asked, makes it a replica. Every wait is bounded
/// by wall time AND a number of attempts, so a starved machine does not give up early.
public struct NodeJoiner: Sendable {
    public let links: ActionLinks

    public init(links: ActionLinks) { self.links = links }

    /// CLUSTER MEET sent on `introducer`, naming the candidate's address and bus port.
    public func meet(_ candidate: CandidateNode, via introducer: NodeAddress) async throws -> String {
        guard let bus = candidate.busPort else {
            throw ActionError.refused(step: "CLUSTER MEET", node: candidate.address, reply: "its cluster-bus port is unknown")
        }
        let command = ["CLUSTER", "MEET", candidate.address.host, "\(candidate.address.port)", "\(bus)"]
        try await links.connection(introducer).expectOK("CLUSTER MEET", [command])
        return command.joined(separator: " ")
    }

    /// Waits until every member lists `id` as a full member and the new node lists every member.
    public func waitUntilKnown(
        _ id: String, candidate: NodeAddress, members: [NodeAddress], seconds: Int = 60, progress: @escaping @Sendable (String, Bool) -> Void
    ) async throws {
        let started = ContinuousClock.now
        var attempts = 0
        while true {
            attempts += 1
            let read = await MembershipReader.read(members + [candidate], links: links)
            let memberIds = read.views.filter { $0.viewer != candidate }.map(\.viewerId)
            let knowing = read.views.filter { $0.viewer != candidate && $0.fullyKnows(id) }.count
            let newcomer = read.views.first { $0.viewer == candidate }
            let newcomerKnowsAll = newcomer.map { view in memberIds.allSatisfy { view.fullyKnows($0) } } ?? false
            let done = knowing == members.count && newcomerKnowsAll && read.failures.isEmpty
            progress("join: \(knowing)/\(members.count) nodes know the new node\(newcomerKnowsAll ? "" : ", it does not yet know them all")", done)
            if done { return }
            if ContinuousClock.now - started > .seconds(seconds) && attempts >= 50 {
                let missing = members.filter { address in !read.views.contains { $0.viewer == address && $0.fullyKnows(id) } }
                throw ActionError.timedOut("after \(seconds) s, \(missing.count) node\(missing.count == 1 ? "" : "s") still do not know the new node (\(missing.prefix(3).map(\.description).joined(separator: ", "))); it was met, check with `shardtop check`")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Waits until the new node's own CLUSTER INFO says cluster_state:ok: a new primary knows every
    /// member before it has learned who owns every slot, and until then it answers CLUSTERDOWN, so
    /// a migration onto it (a rebalance right after the join) would fail its first MIGRATE.
    public func waitUntilServing(_ candidate: NodeAddress, seconds: Int = 60, progress: @escaping @Sendable (String, Bool) -> Void) async throws {
        let started = ContinuousClock.now
        var attempts = 0
        while true {
            attempts += 1
            let reply = try? await links.connection(candidate).run("CLUSTER INFO", [["CLUSTER", "INFO"]])[0]
            let ok = reply?.string?.contains("cluster_state:ok") == true
            progress("join: the new node's cluster state is \(ok ? "ok" : "not ok yet (it is still learning the slot owners)")", ok)
            if ok { return }
            if ContinuousClock.now - started > .seconds(seconds) && attempts >= 50 {
                throw ActionError.timedOut("the new node's cluster_state is not ok after \(seconds) s (see its log)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// CLUSTER REPLICATE on the new node, then waits until its link to the primary is up (first sync done).
    public func replicate(_ candidate: NodeAddress, primaryId: String, seconds: Int = 300, progress: @escaping @Sendable (String, Bool) -> Void) async throws -> String {
        let command = ["CLUSTER", "REPLICATE", primaryId]
        let connection = try await links.connection(candidate)
        try await connection.expectOK("CLUSTER REPLICATE", [command])
        let started = ContinuousClock.now
        var attempts = 0
        while true {
            attempts += 1
            let reply = try await connection.run("INFO replication", [["INFO", "replication"]])[0]
            let info = reply.string.map(ServerInfoParser.parse)
            let up = info?.primaryLinkUp == true
            let sync = info?.syncPercent.map { String(format: " (sync %.0f%%)", $0) } ?? ""
            progress("replicate: link to the primary \(up ? "up" : "not up yet")\(sync)", up)
            if up { return "CLUSTER REPLICATE \(primaryId)" }
            if ContinuousClock.now - started > .seconds(seconds) && attempts >= 50 {
                throw ActionError.timedOut("the new replica's link to its primary is not up after \(seconds) s (see its log)")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
