import Foundation
import ShardtopCore

/// CLUSTER FORGET on every live node, until none lists the forgotten nodes.
///
/// FORGET bans the id on that node for 60 s; a node that has not been told yet gossips the id
/// back to those that have once their ban ends, and the ghost returns. So every node must be told
/// within one ban window, and each is re-read (and told again, which restarts its ban) until none
/// lists the id. Past `deadline` (under the 60 s window) it stops and says which nodes still do.
public struct NodeForgetter: Sendable {
    public static let banWindow: Duration = .seconds(60)

    public let links: ActionLinks
    public let deadline: Duration

    public init(links: ActionLinks, deadline: Duration = .seconds(50)) {
        self.links = links
        self.deadline = deadline
    }

    public struct Outcome: Sendable {
        public var commands: [String]
        public var rounds: Int
        public var seconds: Double
    }

    /// - Parameter progress: one line per round ("3/6 nodes have forgotten it").
    public func forget(_ ids: [String], on nodes: [NodeAddress], progress: @escaping @Sendable (String, Bool) -> Void) async throws -> Outcome {
        let started = ContinuousClock.now
        let idSet = Set(ids)
        var pending = nodes
        var sent = 0
        var round = 0
        while true {
            round += 1
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in pending {
                    group.addTask {
                        // A node that does not answer stays pending and is told again next round;
                        // only a refusal (NOPERM, "can't forget my master") stops the whole action.
                        do { try await tell(node, ids) } catch ActionError.unreachable {}
                    }
                }
                try await group.waitForAll()
            }
            sent += pending.count * ids.count
            // Re-read every node, not only the ones just told: a node told in an earlier round can
            // relearn the id by gossip from a node outside the list (a newcomer, say).
            let read = await MembershipReader.read(nodes, links: links)
            let listing = GhostFinder.stillListing(idSet, views: read.views).map(\.viewer)
            pending = (listing + read.failures.keys).sorted()
            let done = nodes.count - pending.count
            let elapsed = ContinuousClock.now - started
            progress("forget: \(done)/\(nodes.count) nodes have forgotten \(ids.count == 1 ? "it" : "them") (round \(round), \(Self.seconds(elapsed)) s)", pending.isEmpty)
            if pending.isEmpty {
                return Outcome(commands: ["CLUSTER FORGET <id> x\(sent)"], rounds: round, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            if elapsed > deadline {
                let why = pending.map { address in read.failures[address].map { "\(address) (\($0))" } ?? "\(address) (still lists it)" }
                throw ActionError.timedOut("FORGET did not take on every node within the 60 s ban window: \(why.joined(separator: ", ")); run `shardtop forget` again")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// FORGET each id on one node. "Unknown node" means it is already forgotten there.
    private func tell(_ node: NodeAddress, _ ids: [String]) async throws {
        let connection = try await links.connection(node)
        let replies = try await connection.run("CLUSTER FORGET", ids.map { ["CLUSTER", "FORGET", $0] })
        for reply in replies {
            guard let error = reply.errorMessage else { continue }
            if error.localizedCaseInsensitiveContains("unknown node") { continue }
            // A replica still loading the full sync a drain gave it answers LOADING to everything:
            // it stays pending and is told again next round.
            if error.hasPrefix("LOADING") || error.hasPrefix("BUSY") || error.hasPrefix("TRYAGAIN") { continue }
            throw ActionError.refused(step: "CLUSTER FORGET", node: node, reply: error)
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.1f", value)
    }
}
