import ShardtopCore

/// The last steps of removing a live node: it forgets the cluster, and optionally stops.
public enum NodeReset {
    /// CLUSTER RESET HARD: the node forgets every other node, drops its slots, and takes a new id,
    /// so it cannot rejoin by gossip and can later be added anywhere as a blank node. The server
    /// refuses it on a primary that still holds keys, which is the guard we want.
    public static func reset(_ node: NodeAddress, links: ActionLinks) async throws -> String {
        try await links.connection(node).expectOK("CLUSTER RESET", [["CLUSTER", "RESET", "HARD"]])
        return "CLUSTER RESET HARD"
    }

    /// SHUTDOWN NOSAVE. The connection closing is the expected answer.
    public static func shutdown(_ node: NodeAddress, links: ActionLinks) async throws -> String {
        let connection = try await links.connection(node)
        do {
            let reply = try await connection.send([["SHUTDOWN", "NOSAVE"]])[0]
            if let error = reply.errorMessage { throw ActionError.refused(step: "SHUTDOWN", node: node, reply: error) }
        } catch let error as ActionError {
            throw error
        } catch {
            // Closed or no reply: the server went away, as asked.
        }
        return "SHUTDOWN NOSAVE"
    }
}
