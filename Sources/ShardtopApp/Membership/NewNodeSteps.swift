import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// Shared by add-node and replace: the new node's preflight and its joining.
extension ActionSession {
    /// Reads the node offered to join and refuses (exit 1, nothing sent) on any preflight problem.
    public func preflightCandidate(_ text: String, replicaOf primary: SnapshotNode?, action: String) async throws -> CandidateNode {
        let address: NodeAddress
        do { address = try Seed.parse(text).address } catch { throw fail(error.description) }
        let candidate: CandidateNode
        do {
            candidate = try await CandidateProbe.read(address, links: links)
        } catch {
            try await refuse("refusing to add \(address): \(error); nothing was sent", action: action, nodes: [])
        }
        let problems = AddNodePreflight.problems(candidate, snapshot: snapshot, replicaOf: primary)
        if !problems.isEmpty {
            try await refuse("refusing to add \(address): \(problems.joined(separator: "; ")); nothing was sent", action: action, nodes: [])
        }
        return candidate
    }

    /// MEET through a live member, wait until every member knows it (and it knows them), then
    /// REPLICATE when asked (MembershipSteps). Each step journaled; a failure stops with what was done so far.
    public func join(_ candidate: CandidateNode, replicaOf primary: SnapshotNode?, members: [SnapshotNode], action: String) async throws {
        try await runSteps(action: action) { steps in try await steps.join(candidate, replicaOf: primary, members: members) }
    }

    /// The shared membership steps, printing progress and journaling as `action`; a failed step
    /// is journaled and ends the command with exit 1.
    public func runSteps<T>(action: String, _ body: (MembershipSteps) async throws -> T) async throws -> T {
        let printer = progressPrinter()
        let steps = MembershipSteps(
            links: links,
            record: { [self] nodes, commands, detail in record(action, nodes: nodes, commands: commands, outcome: .succeeded, detail: detail) },
            progress: { line, done in printer(line, done) },
            said: { line in print(line) }
        )
        do {
            return try await body(steps)
        } catch let failure as MembershipStepFailure {
            printer("", true)
            try await stop(failure.underlying, step: failure.step, action: action, nodes: failure.nodes, commands: [])
        }
    }

    public func candidateLines(_ candidate: CandidateNode) -> String {
        let memory = (candidate.maxMemory ?? 0) > 0 ? "maxmemory \(ByteCount.text(candidate.maxMemory!))" : "no maxmemory"
        return "\(candidate.address) \(candidate.id?.prefix(8) ?? "?"): \(candidate.server) \(candidate.version), empty, knows no other node, \(memory)"
    }
}
