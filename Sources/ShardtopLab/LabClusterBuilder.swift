import NIOCore
import ShardtopCore
import ShardtopRedis

/// Forms a cluster out of blank nodes the way an operator would by hand:
/// distinct config epochs, ADDSLOTSRANGE on each primary, MEET, then REPLICATE once every node
/// knows every other. It does not shell out to redis-cli, so it works the same for Valkey.
struct LabClusterBuilder {
    let lab: LabCluster

    func form(progress: @Sendable (String) -> Void = { _ in }) async throws {
        var options = lab.connectionOptions
        // While hundreds of servers gossip on two cores, one can take seconds to answer (a 500-node
        // lab's forming timed out at 5 s with the load average near 300): more time per node. The
        // floor is 15 s: a 6-node test lab forming beside a release build and the suite's own
        // build timed out at 5 s (CLITests, 4 Dec); a forming request that is late is not wrong.
        options.requestTimeout = .seconds(Int64(max(15, lab.nodes.count / 10)))
        let connections = try await Self.connectAll(lab.nodes.map(\.address), options: options)
        defer { for connection in connections { connection.close() } }
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
        // Every node meets the first one only; gossip spreads the rest (N-1 MEETs rather than N^2).
        for node in lab.nodes.dropFirst() {
            try check(await connections[0].send([["CLUSTER", "MEET", node.address.host, "\(node.address.port)", "\(node.busPort)"]]), "MEET", connections[0])
        }
        if connections.count > Self.bigLab { progress("waiting until every node knows every other (gossip; a minute or more at hundreds of nodes)") }
        try await waitUntil("every node knows every other", connections: connections, progress: progress, nudge: meetMissing) { _, topology, _ in
            topology.count == ids.count && !topology.contains { $0.flags.contains(.handshake) || $0.flags.contains(.noaddr) }
        }
        for index in primaryCount..<connections.count {
            let primaryID = ids[(index - primaryCount) % primaryCount]
            try check(await connections[index].send([["CLUSTER", "REPLICATE", primaryID]]), "REPLICATE", connections[index])
        }
        let replicaCount = connections.count - primaryCount
        if connections.count > Self.bigLab {
            // A node learns a peer's new role only from that peer's own ping or pong (gossip sections
            // carry no roles), and gossip also refreshes the pong times (clusterProcessGossipSection) that would
            // have made it ping: at hundreds of nodes a pair may go minutes without a direct message,
            // so "every node sees every replica" took longer than any wait (250 nodes: not in 100 s).
            // A big lab is judged by each node itself: cluster_state ok, and each replica's own line
            // naming its primary. The others' views catch up by gossip while the lab runs.
            progress("waiting until each of \(replicaCount) replicas names its primary and every node reports cluster_state ok")
            try await waitUntil("the cluster reports ok with every replica in place", connections: connections, progress: progress) { index, topology, info in
                guard info.state == "ok" else { return false }
                guard index >= primaryCount else { return true }
                let me = topology.first { $0.flags.contains(.myself) }
                return me?.role == .replica && me?.primaryID == ids[(index - primaryCount) % primaryCount]
            }
        } else {
            try await waitUntil("the cluster reports ok with every replica in place", connections: connections, progress: progress) { _, topology, info in
                info.state == "ok" && topology.filter { $0.role == .replica }.count == replicaCount
            }
        }
        // A replica is only useful once its first full sync is done; until then its link reads down.
        if connections.count > Self.bigLab && replicaCount > 0 { progress("waiting for \(replicaCount) replicas' first sync") }
        let deadline = ContinuousClock.now + .seconds(Self.patience(connections.count))
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

    /// Above this many nodes, forming takes long enough to say what it is waiting for.
    static let bigLab = 60

    /// Seconds to wait for each stage: a minute for a small lab, more as gossip has more to spread
    /// (about 3 minutes at 500 nodes on 2 cores).
    static func patience(_ nodes: Int) -> Int { max(60, nodes * 2 / 5) }

    /// Connects to every node, a batch at a time (so hundreds of connects do not all time out
    /// together on a busy machine), in node order.
    static func connectAll(_ addresses: [NodeAddress], options: ConnectionOptions, batch: Int = 32) async throws -> [RedisConnection] {
        var connections: [RedisConnection] = []
        connections.reserveCapacity(addresses.count)
        do {
            for start in stride(from: 0, to: addresses.count, by: batch) {
                let slice = Array(addresses[start..<min(start + batch, addresses.count)])
                let made = try await withThrowingTaskGroup(of: (Int, RedisConnection).self) { group in
                    for (offset, address) in slice.enumerated() {
                        group.addTask { (offset, try await RedisConnection.connect(to: address, options: options)) }
                    }
                    var made: [(Int, RedisConnection)] = []
                    do {
                        for try await pair in group { made.append(pair) }
                    } catch {
                        for (_, connection) in made { connection.close() }
                        throw error
                    }
                    return made.sorted { $0.0 < $1.0 }.map(\.1)
                }
                connections += made
            }
        } catch {
            for connection in connections { connection.close() }
            throw error
        }
        return connections
    }

    /// Polls every node until each meets `condition`. While waiting, nodes already seen to meet it
    /// are not asked again, so a 500-node lab does not parse 500 replies of 500 lines on every
    /// attempt; the wait ends with one whole pass in which every node meets it.
    private func waitUntil(
        _ goal: String, connections: [RedisConnection], progress: @Sendable (String) -> Void = { _ in },
        nudge: ((_ index: Int, [TopologyEntry]) -> [[String]])? = nil,
        _ condition: (_ index: Int, [TopologyEntry], ClusterInfoReport) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(Self.patience(connections.count))
        var attempts = 0
        var pending = Array(connections.indices)
        var lastReport = ContinuousClock.now
        // The first node still short of the goal, as it last answered: printed with the progress.
        var lastMiss = ""
        while true {
            attempts += 1
            var stillPending: [Int] = []
            for (position, index) in pending.enumerated() {
                let connection = connections[index]
                let replies = try await connection.send([["CLUSTER", "NODES"], ["CLUSTER", "INFO"]])
                let topology = replies[0].string.flatMap { try? ClusterNodesParser.parse($0) }
                let info = replies[1].string.map { ClusterInfoParser.parse($0) }
                guard let topology, let info, condition(index, topology, info) else {
                    if stillPending.isEmpty { lastMiss = Self.describe(connection.address, topology: topology, info: info) }
                    // With a nudge, every pending node is visited and helped along in the same pass.
                    if let nudge, let topology, case let commands = nudge(index, topology), !commands.isEmpty {
                        _ = try await connection.send(commands)
                        stillPending.append(index)
                        continue
                    }
                    stillPending += Array(pending[position...])
                    break
                }
            }
            if stillPending.isEmpty {
                // Done when one whole pass finds every node there, as before this skipped any.
                if pending.count == connections.count { return }
                pending = Array(connections.indices)
                continue
            }
            pending = stillPending
            if connections.count > Self.bigLab && ContinuousClock.now - lastReport > .seconds(10) {
                lastReport = ContinuousClock.now
                progress("  \(connections.count - pending.count) of \(connections.count) nodes so far; \(lastMiss)")
            }
            // Wall time alone is not enough on a starved machine; require real attempts too.
            if ContinuousClock.now > deadline && attempts >= 100 {
                throw LabError.clusterDidNotForm("timed out waiting until \(goal) (\(connections.count - pending.count) of \(connections.count) nodes did; \(lastMiss))")
            }
            try await Task.sleep(for: .milliseconds(connections.count > Self.bigLab ? 500 : 100))
        }
    }

    /// The tail of gossip is slow at hundreds of nodes: a node learns the last few peers only when
    /// a random gossip section happens to name them (a 500-node lab sat for minutes at 497-499 of
    /// 500). A node that misses only a few is introduced to them directly; one that misses many is
    /// left to gossip, so the lab does not start n^2 handshakes at once.
    private func meetMissing(_ index: Int, _ topology: [TopologyEntry]) -> [[String]] {
        let known = Set(topology.filter { !$0.flags.contains(.handshake) && !$0.flags.contains(.noaddr) }.compactMap(\.address))
        let missing = lab.nodes.enumerated().filter { $0.offset != index && !known.contains($0.element.address) }.map(\.element)
        guard !missing.isEmpty, missing.count <= Self.meetTail else { return [] }
        return missing.map { ["CLUSTER", "MEET", $0.address.host, "\($0.address.port)", "\($0.busPort)"] }
    }

    /// At most this many missing peers are met directly (see `meetMissing`).
    static let meetTail = 25

    /// One node's view in a line, for a wait that is taking long: what is missing, as it sees it.
    static func describe(_ address: NodeAddress, topology: [TopologyEntry]?, info: ClusterInfoReport?) -> String {
        guard let topology, let info else { return "\(address) gave no readable CLUSTER NODES / CLUSTER INFO" }
        let replicas = topology.filter { $0.role == .replica }.count
        let failing = topology.filter { $0.flags.contains(.fail) || $0.flags.contains(.pfail) }.count
        let meeting = topology.filter { $0.flags.contains(.handshake) || $0.flags.contains(.noaddr) }.count
        let myself = topology.first { $0.flags.contains(.myself) }
        return "\(address) (\(myself?.role == .replica ? "replica" : "primary")) sees cluster_state \(info.state), "
            + "\(topology.count) nodes (\(meeting) in handshake or without address), \(replicas) replicas, "
            + "\(failing) flagged pfail/fail, \(info.slotsOK) slots ok"
    }
}
