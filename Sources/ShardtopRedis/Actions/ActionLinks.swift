import NIOCore
import NIOPosix
import ShardtopCore

/// Connections used by actions, separate from the poller's: a MIGRATE batch can hold a connection
/// for a while, and the dashboard's polls must not queue behind it.
public actor ActionLinks {
    private let options: ConnectionOptions
    private var clients: [NodeAddress: NodeClient] = [:]

    /// Action requests get a longer deadline than polls: a pipelined MIGRATE batch legitimately
    /// takes longer than a poll, and a false timeout would stop a healthy migration.
    public init(options: ConnectionOptions, requestTimeout: TimeAmount = .seconds(30)) {
        var options = options
        options.requestTimeout = requestTimeout
        options.clientName = "shardtop-action"
        self.options = options
    }

    public var user: String? { options.user }
    /// For connections of their own (the operation lease), with the same TLS and credentials.
    public var connectionOptions: ConnectionOptions { options }
    public var password: String? { options.password }

    public func connection(_ address: NodeAddress) async throws -> RedisConnection {
        let client = clients[address] ?? NodeClient(address: address, options: options)
        clients[address] = client
        do {
            return try await client.connected()
        } catch {
            throw ActionError.unreachable(step: "connect", node: address, reason: "\(error)")
        }
    }

    public func close() async {
        for client in clients.values { await client.close() }
        clients.removeAll()
    }
}

extension RedisConnection {
    /// Sends and turns transport failures into ActionError naming the step.
    public func run(_ step: String, _ commands: [[String]], timeout: TimeAmount? = nil) async throws -> [RESPValue] {
        do {
            return try await send(commands, timeout: timeout)
        } catch {
            throw ActionError.unreachable(step: step, node: address, reason: "\(error)")
        }
    }

    public func run(_ step: String, binary commands: [[[UInt8]]], timeout: TimeAmount? = nil) async throws -> [RESPValue] {
        do {
            return try await send(binary: commands, timeout: timeout)
        } catch {
            throw ActionError.unreachable(step: step, node: address, reason: "\(error)")
        }
    }

    /// Every reply must be OK; the first error reply stops the step.
    func expectOK(_ step: String, _ commands: [[String]]) async throws {
        for reply in try await run(step, commands) {
            if let error = reply.errorMessage { throw ActionError.refused(step: step, node: address, reply: error) }
        }
    }
}
