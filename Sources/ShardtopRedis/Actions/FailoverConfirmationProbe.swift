import Foundation
import ShardtopCore

/// Asks the nodes directly whether a failover took: its own role and CLUSTER NODES on the candidate,
/// CLUSTER NODES on every voting primary, all at once. What they say is judged by the pure
/// `FailoverConfirmation`; a node that does not answer simply gives no view.
public enum FailoverConfirmationProbe {
    /// Sends commands to one node and returns its replies (with a short deadline of its own).
    public typealias Send = @Sendable (NodeAddress, [[String]]) async throws -> [RESPValue]

    public static func gather(
        candidate: NodeAddress, candidateId: String, electorate: [(id: String, address: NodeAddress)], send: @escaping Send
    ) async -> FailoverConfirmation {
        // INFO replication rather than ROLE: the README's operating user has +info, not +role,
        // and a confirmation that the user may not ask for would never come.
        async let ownReplies = try? send(candidate, [["INFO", "replication"], ["CLUSTER", "NODES"]])
        let views = await withTaskGroup(of: (String, [TopologyEntry]?).self, returning: [String: [TopologyEntry]].self) { group in
            for voter in electorate {
                group.addTask { (voter.id, topology(try? await send(voter.address, [["CLUSTER", "NODES"]]).first)) }
            }
            var views: [String: [TopologyEntry]] = [:]
            for await (id, view) in group { if let view { views[id] = view } }
            return views
        }
        var all = views
        let replies = await ownReplies
        if let replies, replies.count == 2, let view = topology(replies[1]) { all[candidateId] = view }
        return FailoverConfirmation(time: Date().timeIntervalSince1970, role: replies.flatMap { role($0[0]) }, views: all)
    }

    /// The `role:` field of INFO replication ("master" or "slave"; Valkey 9 still answers these words).
    static func role(_ reply: RESPValue) -> NodeRole? {
        guard let text = reply.string else { return nil }
        return ServerInfoParser.parse(text).role
    }

    private static func topology(_ reply: RESPValue?) -> [TopologyEntry]? {
        guard let text = reply?.string else { return nil }
        return try? ClusterNodesParser.parse(text)
    }
}
