import Foundation

/// What a fake node answers when it says the cluster has `count` nodes: a CLUSTER NODES of `count`
/// lines (itself first, half of them primaries sharing the 16384 slots, the rest their replicas),
/// a CLUSTER INFO and an INFO that never change. The other nodes live at 127.0.x.y on the fake's
/// own port: only 127.0.0.1 listens there, so each refuses at once and shows as unreachable.
/// `markFailed` flags one more node `fail` in the reply, to show a changed reply is read again.
final class BigNodeScript: @unchecked Sendable {
    let count: Int
    private let lock = NSLock()
    private var replies: [String: [UInt8]] = [:]
    private var failed: Int?

    init(count: Int) { self.count = count }

    static func id(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 40 - hex.count) + hex
    }

    func markFailed(_ n: Int) { lock.withLock { failed = n; replies = [:] } }

    func answer(_ command: [String], port: Int) -> [UInt8] {
        let words = command.map { $0.uppercased() }
        switch (words.first, words.count > 1 ? words[1] : nil) {
        case ("CLUSTER", "NODES"): return cached("nodes", port: port) { nodes(port: port) }
        case ("CLUSTER", "INFO"):
            return cached("info", port: port) { "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_known_nodes:\(count)\r\ncluster_current_epoch:\(count)\r\n" }
        case ("INFO", _):
            return cached("server", port: port) { "# Server\r\nredis_version:7.0.15\r\nrole:master\r\nconnected_clients:1\r\nused_memory:1000000\r\n" }
        case ("PING", _): return Array("+PONG\r\n".utf8)
        default: return Array("+OK\r\n".utf8)
        }
    }

    private func cached(_ name: String, port: Int, _ make: () -> String) -> [UInt8] {
        let key = "\(name):\(port)"
        if let bytes = lock.withLock({ replies[key] }) { return bytes }
        let text = make()
        let bytes = Array("$\(text.utf8.count)\r\n\(text)\r\n".utf8)
        lock.withLock { replies[key] = bytes }
        return bytes
    }

    private func nodes(port: Int) -> String {
        let failed = lock.withLock { self.failed }
        let primaries = count / 2
        let per = 16384 / primaries
        var text = ""
        text.reserveCapacity(count * 120)
        for n in 0..<count {
            let address = n == 0 ? "127.0.0.1:\(port)@\(port + 10000)" : "127.0.\(1 + n / 250).\(1 + n % 250):\(port)@\(port + 10000)"
            var flags = n == 0 ? "myself," : ""
            flags += n < primaries ? "master" : "slave"
            if n == failed { flags += ",fail" }
            let primary = n < primaries ? "-" : Self.id(n - primaries)
            var line = "\(Self.id(n)) \(address) \(flags) \(primary) 0 0 \(n % primaries + 1) connected"
            if n < primaries { line += " \(n * per)-\(n == primaries - 1 ? 16383 : n * per + per - 1)" }
            text += line + "\n"
        }
        return text
    }
}
