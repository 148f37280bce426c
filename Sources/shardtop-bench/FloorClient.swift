import Foundation
import NIOCore
import ShardtopCore
import ShardtopRedis
#if canImport(Glibc)
import Glibc
#endif

/// The warm tick's floor (series F of `bench snapshot`): the request every node gets on a steady
/// tick under the dashboard's rule, written to every node back to back over plain sockets, and
/// the replies only framed, never parsed, on one thread with poll(2). What a client that does
/// nothing else takes for the same round trips on the same two cores; D minus F is what
/// shardtop's own work (parsing, the poller's bookkeeping, assembly, the diff, thread hops) costs.
final class FloorClient {
    private var sockets: [Int32] = []
    private let request: [UInt8]
    private let replyCount: Int

    init(addresses: [NodeAddress], commands: [[String]] = NodePoll.steadyLightCommands) throws {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        for command in commands { RESPEncoder.encode(command: command, into: &buffer) }
        request = buffer.readBytes(length: buffer.readableBytes) ?? []
        replyCount = commands.count
        for address in addresses {
            guard let ip = try? SocketAddress(ipAddress: address.host, port: address.port), case .v4(let v4) = ip else {
                throw BenchFailure("floor client: \(address) is not an IPv4 address")
            }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw BenchFailure("floor client: socket() failed") }
            sockets.append(fd)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var raw = v4.address
            let connected = withUnsafePointer(to: &raw) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw BenchFailure("floor client: cannot connect to \(address)") }
        }
    }

    deinit { for fd in sockets { close(fd) } }

    /// One tick: every request written, then every node's replies read whole.
    func tick(timeoutMillis: Int32 = 5_000) throws {
        for fd in sockets {
            var sent = 0
            while sent < request.count {
                let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw BenchFailure("floor client: send failed") }
                sent += n
            }
        }
        var received = [[UInt8]](repeating: [], count: sockets.count)
        var pending = sockets.indices.map { pollfd(fd: sockets[$0], events: Int16(POLLIN), revents: 0) }
        let indexOf = Dictionary(uniqueKeysWithValues: sockets.enumerated().map { ($1, $0) })
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while !pending.isEmpty {
            guard poll(&pending, nfds_t(pending.count), timeoutMillis) > 0 else { throw BenchFailure("floor client: no reply within \(timeoutMillis) ms") }
            var still: [pollfd] = []
            for entry in pending {
                guard entry.revents != 0, let index = indexOf[entry.fd] else { still.append(entry); continue }
                let n = chunk.withUnsafeMutableBytes { recv(entry.fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw BenchFailure("floor client: a node closed the connection") }
                received[index] += chunk[0..<n]
                if try !Self.whole(received[index], replies: replyCount) { still.append(pollfd(fd: entry.fd, events: Int16(POLLIN), revents: 0)) }
            }
            pending = still
        }
    }

    /// True once `bytes` hold `replies` whole replies (bulk strings or status lines); an error
    /// reply ends the bench, as the dashboard's poll would report the node failed. Not
    /// `RESPParser`: it builds every value, and the floor is what reading costs without that.
    static func whole(_ bytes: [UInt8], replies: Int) throws -> Bool {
        var position = 0
        for _ in 0..<replies {
            guard position < bytes.count else { return false }
            guard let lineEnd = lineEnd(bytes, from: position) else { return false }
            switch bytes[position] {
            case UInt8(ascii: "$"):
                guard let length = Int(String(decoding: bytes[(position + 1)..<lineEnd], as: UTF8.self)) else {
                    throw BenchFailure("floor client: bad bulk length")
                }
                position = lineEnd + 2 + length + 2
                if position > bytes.count { return false }
            case UInt8(ascii: "+"):
                position = lineEnd + 2
            default:
                throw BenchFailure("floor client: unexpected reply \(String(decoding: bytes[position..<lineEnd], as: UTF8.self))")
            }
        }
        return true
    }

    private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A { return index }
            index += 1
        }
        return nil
    }
}
