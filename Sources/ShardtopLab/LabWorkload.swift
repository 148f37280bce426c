import Foundation
import NIOCore
import ShardtopCore
import ShardtopRedis

/// Writes and reads over all slots so the lab's numbers move: a fifth of operations hit a few hot
/// keys (so one shard runs hotter, as in real life), the rest spread uniformly over 100k keys.
/// Routing is cluster-aware: keys go to the owner of their slot, and a MOVED reply refreshes the map.
public actor LabWorkload {
    private let seeds: [NodeAddress]
    private let opsPerSecond: Int
    private var owners: [NodeAddress?] = Array(repeating: nil, count: hashSlotCount)
    private var clients: [NodeAddress: NodeClient] = [:]
    private var needsRefresh = true
    public private(set) var acknowledgedWrites = 0
    public private(set) var errors = 0

    static let hotKeys = 8
    static let keySpace = 100_000
    static let ticksPerSecond = 10

    private let options: ConnectionOptions

    public init(seeds: [NodeAddress], opsPerSecond: Int, options: ConnectionOptions = ConnectionOptions()) {
        self.seeds = seeds
        var named = options
        named.clientName = "shardtop-lab-load"
        self.options = named
        self.opsPerSecond = opsPerSecond
    }

    public func run() async {
        var generator = SystemRandomNumberGenerator()
        let perTick = max(1, opsPerSecond / Self.ticksPerSecond)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            if needsRefresh { await refreshRouting() }
            var batches: [NodeAddress: [[String]]] = [:]
            for index in 0..<perTick {
                let key = Self.key(using: &generator)
                guard let owner = owners[HashSlot.of(key)] else { continue }
                let command = index % 2 == 0 ? ["SET", key, "v\(Int.random(in: 0..<1_000_000, using: &generator))"] : ["GET", key]
                batches[owner, default: []].append(command)
            }
            await withTaskGroup(of: (Int, Int, Bool).self) { group in
                for (address, commands) in batches {
                    let client = client(for: address)
                    group.addTask {
                        guard let replies = try? await client.send(commands, timeout: .seconds(2)) else { return (0, commands.count, true) }
                        var writes = 0
                        var failures = 0
                        var moved = false
                        for (command, reply) in zip(commands, replies) {
                            if let error = reply.errorMessage {
                                failures += 1
                                if error.hasPrefix("MOVED") || error.hasPrefix("ASK") || error.hasPrefix("CLUSTERDOWN") { moved = true }
                            } else if command[0] == "SET" {
                                writes += 1
                            }
                        }
                        return (writes, failures, moved)
                    }
                }
                for await (writes, failures, moved) in group {
                    acknowledgedWrites += writes
                    errors += failures
                    if moved { needsRefresh = true }
                }
            }
            let elapsed = ContinuousClock.now - started
            let tick = Duration.milliseconds(1000 / Self.ticksPerSecond)
            if elapsed < tick { try? await Task.sleep(for: tick - elapsed) }
        }
        for client in clients.values { await client.close() }
    }

    static func key<G: RandomNumberGenerator>(using generator: inout G) -> String {
        if Int.random(in: 0..<5, using: &generator) == 0 {
            return "lab:hot:\(Int.random(in: 0..<hotKeys, using: &generator))"
        }
        return "lab:key:\(Int.random(in: 0..<keySpace, using: &generator))"
    }

    private func client(for address: NodeAddress) -> NodeClient {
        if let client = clients[address] { return client }
        let client = NodeClient(address: address, options: options)
        clients[address] = client
        return client
    }

    private func refreshRouting() async {
        for seed in Array(Set(seeds).union(clients.keys)) {
            guard let replies = try? await client(for: seed).send([["CLUSTER", "NODES"]]),
                  let text = replies.first?.string,
                  let topology = try? ClusterNodesParser.parse(text) else { continue }
            var fresh = [NodeAddress?](repeating: nil, count: hashSlotCount)
            for entry in topology where entry.role == .primary && !entry.flags.contains(.fail) {
                guard let address = entry.flags.contains(.myself) ? seed : entry.address else { continue }
                for range in entry.slots { for slot in range.start...range.end { fresh[slot] = address } }
            }
            owners = fresh
            needsRefresh = false
            return
        }
    }
}
