import NIOCore
import ShardtopCore
import ShardtopRedis

/// Forms a cluster out of blank nodes the way an operator would by hand:
/// distinct config epochs, ADDSLOTSRANGE on each primary, MEET, then REPLICATE once every node
/// knows every other. It does not shell out to redis-cli, so it works the same for Valkey.
struct LabClusterBuilder {
    let lab: LabCluster

    func form() async throws {
        var options = lab.connectionOptions
        options.requestTimeout = .seconds(5)
        var connections: [RedisConnection] = []
        defer { for connection in connections { connection.close() } }
        for node in lab.nodes {
            connections.append(try await RedisConnection.connect(to: node.address, options: options))
        }
        let primaryCount = lab.options.primaries
        var ids: [String] = []
        for connection in connections {
            let reply = try await connection.send([["CLUSTER", "MYID"]])
            guard let id = reply.first?.string, id.count == 40 else {
                throw LabError.clusterDidNotForm("CLUSTER MYID on \(connection.address) gave no id")
            }
            ids.append(id)
        }
        for (index, id) in ids.enumerated() { lab.record(id: id, isPrimary: index < primaryCount, at: index) }

        // Distinct epochs up front avoid the collision-resolution dance after MEET.
        for (index, connection) in connections.enumerated() {
            try check(await connection.send([["CLUSTER", "SET-CONFIG-EPOCH", "\(index + 1)"]]), "SET-CONFIG-EPOCH", connection)
        }
        if lab.options.restore.isEmpty {
            for (index, range) in Self.evenSplit(primaries: primaryCount).enumerated() {
                try check(await connections[index].send([["CLUSTER", "ADDSLOTSRANGE", "\(range.start)", "\(range.end)"]]), "ADDSLOTSRANGE", connections[index])
            }
        } else {
            try await claimRestoredSlots(connections)
        }
        for node in lab.nodes.dropFirst() {
            try check(await connections[0].send([["CLUSTER", "MEET", node.address.host, "\(node.address.port)", "\(node.busPort)"]]), "MEET", connections[0])
        }
        try await waitUntil("every node knows every other", connections: connections) { topology, _ in
            topology.count == ids.count && !topology.contains { $0.flags.contains(.handshake) || $0.flags.contains(.noaddr) }
        }
        for index in primaryCount..<connections.count {
            let primaryID = ids[(index - primaryCount) % primaryCount]
            try check(await connections[index].send([["CLUSTER", "REPLICATE", primaryID]]), "REPLICATE", connections[index])
        }
        let replicaCount = connections.count - primaryCount
        try await waitUntil("the cluster reports ok with every replica in place", connections: connections) { topology, info in
            info.state == "ok" && topology.filter { $0.role == .replica }.count == replicaCount
        }
        // A replica is only useful once its first full sync is done; until then its link reads down.
        let deadline = ContinuousClock.now + .seconds(60)
        for connection in connections[primaryCount...] {
            var attempts = 0
            while true {
                attempts += 1
                let reply = try await connection.send([["INFO", "replication"]])
                if let text = reply.first?.string, ServerInfoParser.parse(text).primaryLinkUp == true { break }
                if ContinuousClock.now > deadline && attempts >= 100 { throw LabError.clusterDidNotForm("replica \(connection.address) never finished its first sync") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// A restored node has already claimed, at load, every slot it holds keys for ("I have keys
    /// for unassigned slot N. Taking responsibility for it."); the rest of its manifest ranges are
    /// added around those, so each node ends up claiming exactly what the manifest says.
    private func claimRestoredSlots(_ connections: [RedisConnection]) async throws {
        for (index, shard) in lab.options.restore.enumerated() {
            let connection = connections[index]
            let reply = try await connection.send([["CLUSTER", "NODES"]])
            guard let text = reply.first?.string, let topology = try? ClusterNodesParser.parse(text),
                  let me = topology.first(where: { $0.flags.contains(.myself) }) else {
                throw LabError.clusterDidNotForm("CLUSTER NODES on \(connection.address) gave no line for itself")
            }
            let claimed = Set(me.slots.flatMap { $0.start...$0.end })
            let wanted = SlotRange.union(shard.slots).flatMap { $0.start...$0.end }.filter { !claimed.contains($0) }
            for range in SlotRange.ranges(fromSortedSlots: wanted) {
                try check(await connection.send([["CLUSTER", "ADDSLOTSRANGE", "\(range.start)", "\(range.end)"]]), "ADDSLOTSRANGE", connection)
            }
        }
    }

    /// Slots split as evenly as possible, in contiguous ranges, lower primaries taking the remainder.
    static func evenSplit(primaries: Int) -> [SlotRange] {
        var ranges: [SlotRange] = []
        var start = 0
        for index in 0..<primaries {
            let size = hashSlotCount / primaries + (index < hashSlotCount % primaries ? 1 : 0)
            ranges.append(SlotRange(start, start + size - 1))
            start += size
        }
        return ranges
    }

    private func check(_ replies: [RESPValue], _ what: String, _ connection: RedisConnection) throws {
        if let error = replies.first?.errorMessage {
            throw LabError.clusterDidNotForm("\(what) on \(connection.address): \(sanitizedForDisplay(error))")
        }
    }

    private func waitUntil(
        _ goal: String, connections: [RedisConnection], seconds: Int = 60,
        _ condition: ([TopologyEntry], ClusterInfoReport) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var attempts = 0
        while true {
            attempts += 1
            var allDone = true
            for connection in connections {
                let replies = try await connection.send([["CLUSTER", "NODES"], ["CLUSTER", "INFO"]])
                guard let nodesText = replies[0].string, let infoText = replies[1].string,
                      let topology = try? ClusterNodesParser.parse(nodesText) else { allDone = false; break }
                if !condition(topology, ClusterInfoParser.parse(infoText)) { allDone = false; break }
            }
            if allDone { return }
            // Wall time alone is not enough on a starved machine; require real attempts too.
            if ContinuousClock.now > deadline && attempts >= 100 { throw LabError.clusterDidNotForm("timed out waiting until \(goal)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
