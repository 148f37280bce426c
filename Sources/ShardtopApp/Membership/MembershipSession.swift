import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// The steps forget, remove-node, add-node and replace share, on top of ActionSession's guards:
/// the refusal while other problems exist, the lease, FORGET everywhere, each step journaled.
extension ActionSession {
    /// Every member that answered this session's last poll.
    public func liveMembers(excluding ids: Set<String> = []) -> [SnapshotNode] {
        snapshot.nodes.filter { !$0.isUnknownSeed && $0.isReachable && !ids.contains($0.id) }.sorted { $0.address < $1.address }
    }

    /// Refuses (exit 1, journaled) while the cluster has error findings other than those about
    /// `allowing` (the dead node the action is there to clear).
    public func refuseOtherProblems(allowing ids: Set<String>, action: String, verb: String, nodes: [SnapshotNode]) async throws {
        let problems = ActionPreconditions.blockingProblems(snapshot, exceptAbout: ids)
        guard !problems.isEmpty else { return }
        let refusal = ActionPreconditions.refusal(problems, snapshot: snapshot, action: verb)
        try await refuse(refusal, action: action, nodes: nodes)
    }

    /// Journals the refusal, closes, and exits 1 with the one line.
    public func refuse(_ reason: String, action: String, nodes: [SnapshotNode]) async throws -> Never {
        record(action, nodes: nodes, commands: [], outcome: .refused, detail: reason)
        await close()
        throw fail(reason, code: ExitStatus.problemsFound)
    }

    /// Journals the failure, closes, and exits 1.
    public func stop(_ error: Error, step: String, action: String, nodes: [SnapshotNode], commands: [String]) async throws -> Never {
        record(action, nodes: nodes, commands: commands, outcome: .failed, detail: "\(step): \(error)")
        await close()
        throw fail("\(step): \(error)", code: ExitStatus.problemsFound)
    }

    /// The advisory lease on every node the action touches, or a refusal naming the holder.
    public func lease(_ addresses: [NodeAddress], verb: String, action: String, nodes: [SnapshotNode]) async throws -> OperationLease {
        do {
            let lease = try await OperationLease.acquire(on: addresses, verb: verb, options: await links.connectionOptions)
            for note in lease.notes { printError("warning: \(note)") }
            return lease
        } catch {
            try await refuse("\(error)", action: action, nodes: nodes)
        }
    }

    /// CLUSTER FORGET of `ghosts` on `nodes`, with progress; journaled as one step.
    public func forgetEverywhere(_ ids: [String], on nodes: [NodeAddress], action: String, involved: [SnapshotNode]) async throws -> [String] {
        try await runSteps(action: action) { steps in try await steps.forget(ids, on: nodes, involved: involved) }
    }

    /// Judges one node for forgetting, right now: fresh views from every live member and a TCP try.
    public func ghostRefusal(_ id: String, views: [MembershipView]) async -> String? {
        await MembershipSteps.ghostRefusal(id, views: views, links: links)
    }

    /// Fresh CLUSTER NODES from every live member; a member that stopped answering refuses the action.
    public func membershipViews(action: String, excluding ids: Set<String> = []) async throws -> [MembershipView] {
        let members = liveMembers(excluding: ids)
        let read = await MembershipReader.read(members.map(\.address), links: links)
        if let (address, why) = read.failures.first {
            try await refuse("\(address) stopped answering (\(why)); nothing was sent", action: action, nodes: members)
        }
        return read.views
    }

    public func node(withId id: String) -> SnapshotNode? { snapshot.node(id: id) }
}

extension Ghost {
    public var summary: String {
        let role = wasPrimary ? "primary" : "replica\(primaryId.map { " of \($0.prefix(8))" } ?? "")"
        return "\(label) (\(role), failed; listed by \(knownBy) live node\(knownBy == 1 ? "" : "s"))"
    }
}
