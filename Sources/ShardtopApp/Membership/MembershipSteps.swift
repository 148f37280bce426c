import Foundation
import ShardtopCore
import ShardtopRedis

/// A membership step that failed: which step, the nodes it concerned, and why. The caller decides
/// how to stop (the headless commands exit 1; the dashboard reports it in the status and timeline).
public struct MembershipStepFailure: Error, CustomStringConvertible {
    public var step: String
    public var nodes: [SnapshotNode]
    public var underlying: Error

    public var description: String { "\(step): \(underlying)" }
}

/// The steps of growing, shrinking and healing a cluster, written once for the headless commands
/// (which print) and the dashboard (which reports into its state). Every finished step goes to
/// `record` (the journal), progress lines to `progress` (a line, and whether the step is done),
/// and a sentence per finished step to `said`.
public struct MembershipSteps: Sendable {
    public typealias Record = @Sendable (_ nodes: [SnapshotNode], _ commands: [String], _ detail: String) -> Void

    public let links: ActionLinks
    public let record: Record
    public let progress: @Sendable (String, Bool) -> Void
    public let said: @Sendable (String) -> Void

    public init(links: ActionLinks, record: @escaping Record, progress: @escaping @Sendable (String, Bool) -> Void,
                said: @escaping @Sendable (String) -> Void) {
        self.links = links
        self.record = record
        self.progress = progress
        self.said = said
    }

    /// MEET through a live member, wait until every member knows it (and it knows them), then
    /// REPLICATE when asked.
    public func join(_ candidate: CandidateNode, replicaOf primary: SnapshotNode?, members: [SnapshotNode]) async throws {
        let joiner = NodeJoiner(links: links)
        let introducer = members.first { $0.isPrimary } ?? members[0]
        let label = "\(candidate.address) \(candidate.id?.prefix(8) ?? "")"
        let progress = self.progress
        do {
            let meet = try await joiner.meet(candidate, via: introducer.address)
            record([introducer], [meet], "\(label) met through \(introducer.address)")
            try await joiner.waitUntilKnown(candidate.id ?? "", candidate: candidate.address, members: members.map(\.address)) { line, done in progress(line, done) }
            record(members, [], "every one of \(members.count) nodes knows \(label)")
            // An empty primary is only useful once it can take slots (a rebalance may follow at once).
            if primary == nil { try await joiner.waitUntilServing(candidate.address) { line, done in progress(line, done) } }
            said("\(candidate.address) joined: every node knows it")
        } catch {
            throw MembershipStepFailure(step: "joining \(candidate.address)", nodes: [introducer], underlying: error)
        }
        guard let primary else { return }
        do {
            let command = try await joiner.replicate(candidate.address, primaryId: primary.id) { line, done in progress(line, done) }
            record([primary], [command], "\(label) replicates \(primary.address), link up")
            said("\(candidate.address) replicates \(primary.address) (first sync done)")
        } catch {
            throw MembershipStepFailure(step: "making \(candidate.address) a replica of \(primary.address)", nodes: [primary], underlying: error)
        }
    }

    /// CLUSTER FORGET of `ids` on `nodes` until none lists them; returns the commands sent.
    public func forget(_ ids: [String], on nodes: [NodeAddress], involved: [SnapshotNode]) async throws -> [String] {
        let progress = self.progress
        do {
            let outcome = try await NodeForgetter(links: links).forget(ids, on: nodes) { line, done in progress(line, done) }
            let detail = "forgotten by all \(nodes.count) live nodes in \(outcome.rounds) round\(outcome.rounds == 1 ? "" : "s"), \(String(format: "%.1f", outcome.seconds)) s: \(ids.map { String($0.prefix(8)) }.joined(separator: ", "))"
            record(involved, outcome.commands, detail)
            return outcome.commands
        } catch {
            throw MembershipStepFailure(step: "forget", nodes: involved, underlying: error)
        }
    }

    /// The membership part of removing a live node: re-home the replicas that still follow it,
    /// FORGET it on every other live node, reset it (so gossip cannot bring it back), and stop it
    /// when asked. The caller holds the lease and has drained its slots.
    public func remove(_ target: SnapshotNode, snapshot: ClusterSnapshot, others: [SnapshotNode], shutdown: Bool) async throws {
        // Which replicas still follow it now (a drain may have moved them already).
        if !snapshot.replicas(of: target.id).filter(\.isReachable).isEmpty {
            guard case .success(let plan) = NodeRemovalPlanner.plan(snapshot, nodeId: target.id, drain: true) else {
                throw MembershipStepFailure(step: "re-homing its replicas", nodes: [target], underlying: MembershipRefusal("no other primary to follow"))
            }
            let joiner = NodeJoiner(links: links)
            let progress = self.progress
            for move in plan.replicaMoves {
                guard let replica = snapshot.node(id: move.replicaId), let primary = snapshot.node(id: move.newPrimaryId) else { continue }
                do {
                    let command = try await joiner.replicate(replica.address, primaryId: primary.id) { line, done in progress(line, done) }
                    record([replica, primary], [command], "replica \(replica.address) re-homed to \(primary.address)")
                    said("\(replica.address) now replicates \(primary.address)")
                } catch {
                    throw MembershipStepFailure(step: "re-homing replica \(replica.address)", nodes: [target, replica], underlying: error)
                }
            }
        }
        _ = try await forget([target.id], on: others.map(\.address), involved: [target])
        do {
            let command = try await NodeReset.reset(target.address, links: links)
            record([target], [command], "\(target.address) reset: it knows no other node and has a new id")
            said("\(target.address) reset (CLUSTER RESET HARD): it cannot rejoin by gossip")
        } catch {
            throw MembershipStepFailure(step: "CLUSTER RESET on \(target.address) (it is forgotten by the cluster; reset or stop it by hand before the 60 s ban ends)",
                                        nodes: [target], underlying: error)
        }
        if shutdown {
            do {
                let command = try await NodeReset.shutdown(target.address, links: links)
                record([target], [command], "\(target.address) stopped")
                said("\(target.address) stopped")
            } catch {
                throw MembershipStepFailure(step: "SHUTDOWN", nodes: [target], underlying: error)
            }
        }
    }

    /// Judges one node for forgetting, right now: the fresh views of every live member, and a TCP
    /// try (a paused process still accepts connections, a dead one does not).
    public static func ghostRefusal(_ id: String, views: [MembershipView], links: ActionLinks) async -> String? {
        if let refusal = GhostFinder.refusal(id, views: views) { return refusal }
        guard let address = GhostFinder.ghost(id, views: views)?.address else { return nil }
        let accepts = await MembershipReader.acceptsConnections(address, options: await links.connectionOptions)
        return GhostFinder.refusal(id, views: views, acceptsConnections: accepts)
    }
}
