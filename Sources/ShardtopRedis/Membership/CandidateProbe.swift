import ShardtopCore

/// Reads what a node offered to join says about itself, in one pipelined request.
public enum CandidateProbe {
    public static func read(_ address: NodeAddress, links: ActionLinks) async throws -> CandidateNode {
        let connection = try await links.connection(address)
        let replies = try await connection.run("preflight of the new node", [["CLUSTER", "MYID"], ["CLUSTER", "NODES"], ["INFO"]])
        guard let infoText = replies[2].string else {
            throw ActionError.refused(step: "INFO", node: address, reply: replies[2].errorMessage ?? "no reply")
        }
        let info = ServerInfoParser.parse(infoText)
        if let error = replies[0].errorMessage {
            // "ERR This instance has cluster support disabled"; anything else (NOPERM) is a refusal.
            guard error.localizedCaseInsensitiveContains("cluster support disabled") else {
                throw ActionError.refused(step: "CLUSTER MYID", node: address, reply: error)
            }
            return CandidateNode(address: address, id: nil, clusterEnabled: false, busPort: nil, keys: info.keys, slotCount: 0, openSlots: 0,
                                 otherKnownNodes: 0, server: info.serverName, version: info.version, maxMemory: info.maxMemory, isReplica: info.role == .replica)
        }
        guard let id = replies[0].string, let nodesText = replies[1].string else {
            throw ActionError.refused(step: "CLUSTER NODES", node: address, reply: replies[1].errorMessage ?? "no reply")
        }
        let entries: [TopologyEntry]
        do { entries = try ClusterNodesParser.parse(nodesText) } catch {
            throw ActionError.refused(step: "CLUSTER NODES", node: address, reply: "unreadable: \(error)")
        }
        let myself = entries.first { $0.flags.contains(.myself) }
        return CandidateNode(
            address: address, id: id, clusterEnabled: true, busPort: myself?.busPort, keys: info.keys,
            slotCount: SlotRange.total(myself?.slots ?? []), openSlots: myself?.openSlots.count ?? 0,
            otherKnownNodes: entries.count - 1, server: info.serverName, version: info.version, maxMemory: info.maxMemory,
            isReplica: myself?.role == .replica
        )
    }
}
