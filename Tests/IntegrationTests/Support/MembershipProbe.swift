import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// Each node's own CLUSTER NODES, read directly (not through shardtop's snapshot): the judge of who
/// lists whom in the membership tests.
enum MembershipProbe {
    /// The entries `address` lists, or nil when it does not answer.
    static func entries(_ address: NodeAddress, options: ConnectionOptions) async -> [TopologyEntry]? {
        guard let connection = try? await RedisConnection.connect(to: address, options: options) else { return nil }
        defer { connection.close() }
        guard let text = try? await connection.send([["CLUSTER", "NODES"]]).first?.string else { return nil }
        return try? ClusterNodesParser.parse(text)
    }

    /// Nodes among `viewers` that list any of `ids` (or that did not answer: they cannot be cleared).
    static func listing(_ ids: Set<String>, on viewers: [NodeAddress], options: ConnectionOptions) async -> [NodeAddress] {
        var result: [NodeAddress] = []
        for viewer in viewers {
            guard let entries = await entries(viewer, options: options) else { result.append(viewer); continue }
            if entries.contains(where: { ids.contains($0.id) }) { result.append(viewer) }
        }
        return result
    }

    /// Nodes among `viewers` that list any node at `addresses` (by address, whatever its id).
    static func listingAddresses(_ addresses: Set<NodeAddress>, on viewers: [NodeAddress], options: ConnectionOptions) async -> [NodeAddress] {
        var result: [NodeAddress] = []
        for viewer in viewers {
            guard let entries = await entries(viewer, options: options) else { result.append(viewer); continue }
            if entries.contains(where: { !$0.flags.contains(.myself) && $0.address.map(addresses.contains) == true }) { result.append(viewer) }
        }
        return result
    }

    static func myId(_ address: NodeAddress, options: ConnectionOptions) async -> String? {
        await entries(address, options: options)?.first { $0.flags.contains(.myself) }?.id
    }

    /// Runs one command on a node (test set-up: a key on a spare, say).
    static func send(_ address: NodeAddress, _ command: [String], options: ConnectionOptions) async throws -> RESPValue? {
        let connection = try await RedisConnection.connect(to: address, options: options)
        defer { connection.close() }
        return try await connection.send([command]).first
    }

    /// Waits until every node in `viewers` that lists `id` sees it failed (the cluster's verdict).
    static func waitUntilFailed(_ id: String, viewers: [NodeAddress], options: ConnectionOptions, seconds: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var attempts = 0
        while true {
            attempts += 1
            var all = true
            for viewer in viewers {
                guard let entries = await entries(viewer, options: options) else { all = false; break }
                if let entry = entries.first(where: { $0.id == id }), !entry.flags.contains(.fail) { all = false; break }
            }
            if all { return true }
            if Date() > deadline && attempts >= 20 { return false }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
