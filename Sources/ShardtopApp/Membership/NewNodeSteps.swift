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
    /// REPLICATE when asked. Each step journaled; a failure stops with what was done so far.
    public func join(_ candidate: CandidateNode, replicaOf primary: SnapshotNode?, members: [SnapshotNode], action: String) async throws {
        let joiner = NodeJoiner(links: links)
        let printer = progressPrinter()
        let introducer = members.first { $0.isPrimary } ?? members[0]
        let label = "\(candidate.address) \(candidate.id?.prefix(8) ?? "")"
        do {
            let meet = try await joiner.meet(candidate, via: introducer.address)
            record(action, nodes: [introducer], commands: [meet], outcome: .succeeded, detail: "\(label) met through \(introducer.address)")
            try await joiner.waitUntilKnown(candidate.id ?? "", candidate: candidate.address, members: members.map(\.address)) { line, done in printer(line, done) }
            record(action, nodes: members, commands: [], outcome: .succeeded, detail: "every one of \(members.count) nodes knows \(label)")
            print("\(candidate.address) joined: every node knows it")
        } catch {
            printer("", true)
            try await stop(error, step: "joining \(candidate.address)", action: action, nodes: [introducer], commands: [])
        }
        guard let primary else { return }
        do {
            let command = try await joiner.replicate(candidate.address, primaryId: primary.id) { line, done in printer(line, done) }
            record(action, nodes: [primary], commands: [command], outcome: .succeeded, detail: "\(label) replicates \(primary.address), link up")
            print("\(candidate.address) replicates \(primary.address) (first sync done)")
        } catch {
            printer("", true)
            try await stop(error, step: "making \(candidate.address) a replica of \(primary.address)", action: action, nodes: [primary], commands: [])
        }
    }

    public func candidateLines(_ candidate: CandidateNode) -> String {
        let memory = (candidate.maxMemory ?? 0) > 0 ? "maxmemory \(ByteCount.text(candidate.maxMemory!))" : "no maxmemory"
        return "\(candidate.address) \(candidate.id?.prefix(8) ?? "?"): \(candidate.server) \(candidate.version), empty, knows no other node, \(memory)"
    }
}
