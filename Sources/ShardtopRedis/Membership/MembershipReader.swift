import ShardtopCore

/// Reads each live node's own CLUSTER NODES, concurrently, on the action connections.
public enum MembershipReader {
    public struct Result: Sendable {
        public var views: [MembershipView]
        /// Nodes that did not answer, with why.
        public var failures: [NodeAddress: String]
    }

    public static func read(_ nodes: [NodeAddress], links: ActionLinks) async -> Result {
        await withTaskGroup(of: (NodeAddress, Swift.Result<MembershipView, ActionError>).self, returning: Result.self) { group in
            for address in nodes {
                group.addTask { (address, await view(of: address, links: links)) }
            }
            var result = Result(views: [], failures: [:])
            for await (address, outcome) in group {
                switch outcome {
                case .success(let view): result.views.append(view)
                case .failure(let error): result.failures[address] = "\(error)"
                }
            }
            result.views.sort { $0.viewer < $1.viewer }
            return result
        }
    }

    public static func view(of address: NodeAddress, links: ActionLinks) async -> Swift.Result<MembershipView, ActionError> {
        do {
            let connection = try await links.connection(address)
            let reply = try await connection.run("CLUSTER NODES", [["CLUSTER", "NODES"]])[0]
            guard let text = reply.string else {
                return .failure(.refused(step: "CLUSTER NODES", node: address, reply: reply.errorMessage ?? "no reply"))
            }
            let entries = try ClusterNodesParser.parse(text)
            guard let myself = entries.first(where: { $0.flags.contains(.myself) }) else {
                return .failure(.refused(step: "CLUSTER NODES", node: address, reply: "no line for itself"))
            }
            return .success(MembershipView(viewerId: myself.id, viewer: address, entries: entries))
        } catch let error as ActionError {
            return .failure(error)
        } catch {
            return .failure(.refused(step: "CLUSTER NODES", node: address, reply: "unreadable: \(error)"))
        }
    }

    /// Whether anything accepts a TCP connection at `address` within a second. A SIGSTOPped process
    /// still does (the kernel completes the handshake); a dead one is refused, a gone host times out.
    public static func acceptsConnections(_ address: NodeAddress, options: ConnectionOptions) async -> Bool {
        var raw = options
        raw.connectTimeout = .seconds(1)
        raw.requestTimeout = .seconds(1)
        do {
            let connection = try await RedisConnection.connect(to: address, options: raw)
            connection.close()
            return true
        } catch let error as RedisClientError {
            switch error {
            case .connectFailed, .connectTimedOut: return false
            default: return true
            }
        } catch {
            return true
        }
    }
}
