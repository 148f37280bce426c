import Foundation
import NIOCore
import ShardtopCore

/// An advisory lease that keeps two shardtop operations (two operators, or the dashboard and a
/// script) off the same nodes at once. It needs no key and leaves nothing behind: the lease is a
/// connection named `shardtop-lease-...` on each node involved, so it ends when its holder ends,
/// even by SIGKILL.
///
/// Acquiring names our connection and lists the node's clients in one pipelined request, which the
/// node runs in order. Of two operations that name themselves on one node, the one that lists
/// second always sees the first; so at most one of them sees no rival, and only that one goes on.
/// When both see each other, both let go and retry after a random pause.
public final class OperationLease: Sendable {
    public static let namePrefix = "shardtop-lease-"
    static let leaseRequestTimeout: TimeAmount = .seconds(3)

    private let connections: [RedisConnection]
    /// Nodes where the lease could not be taken (e.g. the user may not run CLIENT LIST): said, not fatal.
    public let notes: [String]

    private init(connections: [RedisConnection], notes: [String]) {
        self.connections = connections
        self.notes = notes
    }

    public func release() {
        for connection in connections { connection.close() }
    }

    deinit { release() }

    /// Takes the lease on every node in `addresses`, or throws `ActionError.otherOperation` naming the holder.
    public static func acquire(
        on addresses: [NodeAddress], verb: String, options: ConnectionOptions, attempts: Int = 5,
        unreachableIsFine: Set<NodeAddress> = []
    ) async throws -> OperationLease {
        let token = "\(verb)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var named = options
        named.clientName = namePrefix + token
        // Two small requests: a node that cannot answer them in seconds is hung (a SIGSTOPped primary
        // still accepts connections), and must not hold a failover for the actions' 30 s deadline.
        named.requestTimeout = min(options.requestTimeout, leaseRequestTimeout)
        var lastRival: (NodeAddress, String)?
        for attempt in 1...attempts {
            var held: [RedisConnection] = []
            var notes: [String] = []
            var rival: (NodeAddress, String)?
            // A fixed order, so two operations on overlapping nodes meet on the same node first.
            for address in Set(addresses).sorted(by: { $0.description < $1.description }) {
                let connection: RedisConnection
                do {
                    connection = try await RedisConnection.connect(to: address, options: named)
                } catch where unreachableIsFine.contains(address) {
                    // A dead primary (the reason for a FORCE failover) holds no one's lease.
                    notes.append("\(address): no operation lease (unreachable)")
                    continue
                } catch {
                    for connection in held { connection.close() }
                    throw ActionError.unreachable(step: "operation lease", node: address, reason: "\(error)")
                }
                let reply: RESPValue
                do {
                    reply = try await connection.run("operation lease", [["CLIENT", "SETNAME", named.clientName], ["CLIENT", "LIST"]])[1]
                } catch where unreachableIsFine.contains(address) {
                    connection.close()
                    notes.append("\(address): no operation lease (no answer)")
                    continue
                } catch {
                    connection.close()
                    for connection in held { connection.close() }
                    throw error
                }
                held.append(connection)
                guard let text = reply.string else {
                    notes.append("\(address): no operation lease (\(sanitizedForDisplay(reply.errorMessage ?? "CLIENT LIST refused"))); another shardtop could act here at the same time")
                    continue
                }
                let clients = ClientListEntry.parse(text)
                guard clients.contains(where: { $0.name == named.clientName }) else {
                    notes.append("\(address): no operation lease (CLIENT SETNAME refused); another shardtop could act here at the same time")
                    continue
                }
                if let other = clients.first(where: { $0.name.hasPrefix(namePrefix) && $0.name != named.clientName }) {
                    rival = (address, "\(other.name.dropFirst(namePrefix.count)) from \(other.address), for \(other.ageSeconds) s")
                    break
                }
            }
            guard let rival else { return OperationLease(connections: held, notes: notes) }
            for connection in held { connection.close() }
            lastRival = rival
            if attempt < attempts { try await Task.sleep(for: .milliseconds(Int.random(in: 20...200))) }
        }
        let (node, holder) = lastRival!
        throw ActionError.otherOperation(node: node, what: "another shardtop operation holds it (\(sanitizedForDisplay(holder)))")
    }
}

/// One line of CLIENT LIST: only the fields the lease needs.
struct ClientListEntry: Equatable {
    var name: String
    var address: String
    var ageSeconds: Int

    static func parse(_ text: String) -> [ClientListEntry] {
        text.split(whereSeparator: \.isNewline).map { line in
            var entry = ClientListEntry(name: "", address: "?", ageSeconds: 0)
            for field in line.split(separator: " ") {
                guard let equals = field.firstIndex(of: "=") else { continue }
                let value = String(field[field.index(after: equals)...])
                switch field[..<equals] {
                case "name": entry.name = value
                case "addr": entry.address = value
                case "age": entry.ageSeconds = Int(value) ?? 0
                default: break
                }
            }
            return entry
        }
    }
}
