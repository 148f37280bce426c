/// Turns one round of node reports into a `ClusterSnapshot`. Pure: no clock, no I/O.
///
/// Every node that answered is a voter with its own view of the cluster (its CLUSTER NODES).
/// The slot table comes from the view most voters share; voters with another view are listed
/// as disagreeing, because during an incident that split is exactly what an operator must see.
/// What a node says about itself (role, open slots, INFO numbers) comes from its own reply.
///
/// Called once per poll tick, with n views of n lines each: the views are read once, in `ViewIndex`,
/// and everything after that is per node or per voter (no node-by-node scans of all nodes or voters).
public enum SnapshotAssembler {
    /// `memo`, kept by a poller from tick to tick, skips re-reading the views when no voter's
    /// CLUSTER NODES changed (see `TopologyMemo`); the snapshot is the same either way.
    public static func assemble(reports: [NodeReport], previous: ClusterSnapshot?, now: Double, memo: TopologyMemo? = nil) -> ClusterSnapshot {
        let voters = reports.compactMap(Voter.init)
        let index: ViewIndex
        let majority: MajorityView
        var viewsReused = false
        if let memo {
            let answer = memo.reading(for: voters, previousSlotOwners: previous?.slotOwners)
            (index, majority) = answer.views
            viewsReused = answer.reused
        } else {
            index = ViewIndex(voters: voters)
            majority = MajorityView(voters: voters, index: index, previousSlotOwners: previous?.slotOwners)
        }
        // Only failed reports are looked up by address (nodes without a voter); on a quiet tick there are none.
        var failureByAddress: [NodeAddress: String] = [:]
        for report in reports {
            // A later answer from the same address wins; with no failure kept there is nothing to clear.
            if case .failed(let reason) = report.outcome {
                failureByAddress[report.address] = reason
            } else if !failureByAddress.isEmpty {
                failureByAddress[report.address] = nil
            }
        }
        if viewsReused, failureByAddress.isEmpty, let quiet = memo?.quiet,
           let snapshot = quietAssembly(quiet, voters: voters, majority: majority, previous: previous, now: now) {
            memo?.quietAssemblies += 1
            return snapshot
        }
        let previousNodes = previous?.nodes ?? []
        let previousByID = Dictionary(previousNodes.indices.map { (previousNodes[$0].id, $0) }, uniquingKeysWith: { a, _ in a })

        var nodes: [SnapshotNode] = []
        nodes.reserveCapacity(majority.nodesByID.count + reports.count)
        // Kept for the quiet ticks that follow (`QuietAssembly`), when every node has a voter.
        var templates: [SnapshotNode]? = memo == nil ? nil : []
        var voterOf: [Int] = []
        for node in majority.nodesByID {
            let id = index.ids[node]
            let voter = index.voterOf[node] >= 0 ? voters[index.voterOf[node]] : nil
            let tally = index.others[node]
            let others = OthersView(
                count: tally.count, linkUp: tally.linkUp, flags: tally.flags,
                mostCommon: voter == nil ? mostCommon(index.othersLines[node], voters: voters) : nil
            )
            let previousNode = previousByID[id].map { previousNodes[$0] }
            guard var made = template(id: id, voter: voter, others: others, slots: majority.rangesByNode[node] ?? [], previous: previousNode) else { continue }
            if voter == nil { templates = nil } else if templates != nil {
                templates?.append(made)
                voterOf.append(index.voterOf[node])
            }
            finish(&made, voter: voter, failureByAddress: failureByAddress, previous: previousNode)
            nodes.append(made)
        }
        // Addresses we dialled that no answering node knows: a wrong seed, or a cluster we cannot reach at all.
        let placedAddresses = failureByAddress.isEmpty ? [] : Set(nodes.map(\.address))
        for report in reports where !failureByAddress.isEmpty && !placedAddresses.contains(report.address) {
            guard case .failed(let reason) = report.outcome else { continue }
            var orphan = SnapshotNode(id: "?\(report.address)", address: report.address, role: .primary, health: .unreachable)
            orphan.error = reason
            orphan.linkConnected = false
            nodes.append(orphan)
        }

        let voterIndexByID = Dictionary(voters.indices.map { (voters[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        fillReplicationLag(&nodes, voters: voters, voterIndexByID: voterIndexByID)
        let order = placeInOrder(&nodes)

        // Each primary's replicas in the order they were just laid out.
        var replicaIDsByPrimary: [String: [String]] = [:]
        for node in nodes {
            if let primaryID = node.primaryId { replicaIDsByPrimary[primaryID, default: []].append(node.id) }
        }
        let shards = nodes.filter { $0.isPrimary && !$0.isUnknownSeed }.map { primary in
            Shard(primaryId: primary.id, replicaIds: replicaIDsByPrimary[primary.id] ?? [], slots: primary.slots)
        }
        var openSlots: [OpenSlot] = []
        for voter in voters where voter.myself.role == .primary {
            for mark in voter.myself.openSlots {
                openSlots.append(OpenSlot(slot: mark.slot, state: mark.direction, node: voter.id, peer: mark.peerID))
            }
        }
        openSlots.sort { ($0.slot, $0.state.rawValue, $0.node) < ($1.slot, $1.state.rawValue, $1.node) }

        if let memo {
            // Only when every node is a voter's: a failed report adds a node with no template
            // (an orphan), and a failure sends every tick the full way anyway.
            let complete = failureByAddress.isEmpty && templates?.count == nodes.count
            memo.quiet = (complete ? templates : nil).map { templates in
                let ordered = order.map { templates[$0] }
                return QuietAssembly(
                    templates: ordered, voterOf: order.map { voterOf[$0] },
                    lagVoterOf: ordered.map { voterIndexByID[$0.id] ?? -1 },
                    primaryVoterOf: ordered.map { node in node.primaryId.flatMap { voterIndexByID[$0] } ?? -1 },
                    shards: shards, openSlots: openSlots)
            }
        }

        return ClusterSnapshot(
            time: now,
            state: pluralityState(voters),
            nodes: nodes,
            shards: shards,
            slotOwners: majority.slotOwners,
            openSlots: openSlots,
            disagreeingNodes: majority.dissenters,
            currentEpoch: voters.map(\.clusterInfo.currentEpoch).max() ?? 0
        )
    }

    /// How the voters other than the node itself see it: each contributes its first line for the node.
    struct OthersView {
        var count: Int
        /// Lines saying the bus link is connected.
        var linkUp: Int
        /// The union of the lines' flags.
        var flags: NodeFlags
        /// The most common description, worked out only for nodes without a voter of their own.
        var mostCommon: TopologyEntry?
    }

    // MARK: - One node

    /// What the views say about a node (nil when they cannot place it): everything but its own
    /// INFO, lag and failure, which `finish` adds. Health is what the flags say.
    private static func template(id: String, voter: Voter?, others: OthersView, slots: [SlotRange], previous: SnapshotNode?) -> SnapshotNode? {
        let reference = voter?.myself ?? others.mostCommon
        guard let reference else { return nil }
        // A node's address is what we dialled when it answered; otherwise what the others gossip.
        guard let address = voter?.report.address ?? reference.address ?? previous?.address else { return nil }

        var node = SnapshotNode(id: id, address: address, role: reference.role, health: .ok)
        node.primaryId = reference.role == .replica ? reference.primaryID : nil
        node.hostname = reference.hostname.flatMap { $0.isEmpty ? nil : $0 }
        node.configEpoch = reference.configEpoch
        node.slots = slots
        node.linkConnected = others.count == 0 ? true : others.linkUp * 2 >= others.count

        var viewFlags = reference.flags.subtracting([.myself, .pfail, .fail])
        if others.flags.contains(.fail) { viewFlags.insert(.fail) }
        if others.flags.contains(.pfail) { viewFlags.insert(.pfail) }
        node.flags = viewFlags.names

        // The most severe that applies; on a tie, the first named (as `max(by:)` over a list would).
        if viewFlags.contains(.fail) { consider(.fail, in: &node) }
        if viewFlags.contains(.pfail) { consider(.pfail, in: &node) }
        if viewFlags.contains(.handshake) { consider(.handshake, in: &node) }
        if viewFlags.contains(.noaddr) { consider(.noaddr, in: &node) }
        return node
    }

    /// A template made whole: its own INFO when it answered, else its last numbers and why it did not.
    private static func finish(_ node: inout SnapshotNode, voter: Voter?, failureByAddress: [NodeAddress: String], previous: SnapshotNode?) {
        if let voter {
            apply(info: voter.info, report: voter.report, previous: previous, to: &node)
            if voter.info.loading { consider(.loading, in: &node) }
        } else {
            // Keep the last numbers we had, so the row does not go blank; `lastSeen` says how old they are.
            if let previous { carryOver(from: previous, to: &node) }
            if let reason = failureByAddress[node.address] {
                node.error = reason
                consider(.unreachable, in: &node)
            }
        }
    }

    private static func consider(_ candidate: NodeHealth, in node: inout SnapshotNode) {
        if candidate.severityRank > node.health.severityRank { node.health = candidate }
    }

    /// A quiet tick's assembly: last tick's templates with this tick's INFO (`QuietAssembly`); nil
    /// when a voter was dialled at another address than its template's, which the full assembly handles.
    private static func quietAssembly(_ quiet: QuietAssembly, voters: [Voter], majority: MajorityView, previous: ClusterSnapshot?, now: Double) -> ClusterSnapshot? {
        var nodes = quiet.templates
        let previousNodes = previous?.nodes ?? []
        // Usually last tick's snapshot, in the same order: then a node's previous is at its own place.
        let aligned = previousNodes.count == nodes.count
        var previousByID: [String: Int]?
        for position in nodes.indices {
            let voter = voters[quiet.voterOf[position]]
            guard voter.report.address == nodes[position].address else { return nil }
            let previousNode: SnapshotNode?
            if aligned, previousNodes[position].id == nodes[position].id {
                previousNode = previousNodes[position]
            } else {
                if previousByID == nil {
                    previousByID = Dictionary(previousNodes.indices.map { (previousNodes[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
                }
                previousNode = previousByID?[nodes[position].id].map { previousNodes[$0] }
            }
            finish(&nodes[position], voter: voter, failureByAddress: [:], previous: previousNode)
        }
        for position in nodes.indices where nodes[position].role == .replica && nodes[position].primaryId != nil {
            let primary = quiet.primaryVoterOf[position]
            let replica = quiet.lagVoterOf[position]
            setLag(&nodes[position], primary: primary >= 0 ? voters[primary] : nil, replica: replica >= 0 ? voters[replica] : nil)
        }
        return ClusterSnapshot(
            time: now,
            state: pluralityState(voters),
            nodes: nodes,
            shards: quiet.shards,
            slotOwners: majority.slotOwners,
            openSlots: quiet.openSlots,
            disagreeingNodes: majority.dissenters,
            currentEpoch: voters.map(\.clusterInfo.currentEpoch).max() ?? 0
        )
    }

    private static func apply(info: ServerInfo, report: NodeReport, previous: SnapshotNode?, to node: inout SnapshotNode) {
        node.server = info.serverName
        node.version = info.version
        node.opsPerSec = info.opsPerSec
        node.usedMemory = info.usedMemory
        node.maxMemory = info.maxMemory
        node.maxMemoryPolicy = info.maxMemoryPolicy
        node.fragmentationRatio = info.fragmentationRatio
        node.evictedKeys = info.evictedKeysTotal
        node.expiredKeys = info.expiredKeysTotal
        node.keys = info.keys
        node.clients = info.connectedClients
        node.maxClients = info.maxClients
        node.persistence = info.persistence
        node.replicationOffset = info.replicationOffset
        if let previous, let then = previous.lastSeen, report.time > then {
            let seconds = report.time - then
            node.evictedKeysPerSec = rate(from: previous.evictedKeys, to: info.evictedKeysTotal, seconds: seconds)
            node.expiredKeysPerSec = rate(from: previous.expiredKeys, to: info.expiredKeysTotal, seconds: seconds)
        }
        node.lastSeen = report.time
        node.roundTripMillis = report.roundTripSeconds.map { $0 * 1000 }
        if let sys = info.cpuSystemSeconds, let user = info.cpuUserSeconds {
            node.cpuSecondsTotal = sys + user
            if let before = previous?.cpuSecondsTotal, let then = previous?.lastSeen, report.time > then {
                node.cpuPercent = max(0, (sys + user - before) / (report.time - then) * 100)
            }
        }
        if node.role == .replica {
            if let up = info.primaryLinkUp { node.primaryLinkStatus = up ? "up" : "down" }
            node.syncInProgress = info.syncInProgress
            node.syncPercent = info.syncPercent
        }
    }

    /// A counter's growth per second; nil when either end is unknown or the counter went back
    /// (the node restarted, or CONFIG RESETSTAT).
    private static func rate(from before: Int64?, to after: Int64?, seconds: Double) -> Double? {
        guard let before, let after, after >= before, seconds > 0 else { return nil }
        return Double(after - before) / seconds
    }

    private static func carryOver(from previous: SnapshotNode, to node: inout SnapshotNode) {
        node.server = previous.server
        node.version = previous.version
        node.opsPerSec = previous.opsPerSec
        node.usedMemory = previous.usedMemory
        node.maxMemory = previous.maxMemory
        node.maxMemoryPolicy = previous.maxMemoryPolicy
        node.fragmentationRatio = previous.fragmentationRatio
        node.evictedKeys = previous.evictedKeys
        node.expiredKeys = previous.expiredKeys
        node.maxClients = previous.maxClients
        node.persistence = previous.persistence
        node.keys = previous.keys
        node.clients = previous.clients
        node.replicationOffset = previous.replicationOffset
        node.lastSeen = previous.lastSeen
        node.cpuSecondsTotal = previous.cpuSecondsTotal
        if node.role == .replica { node.primaryLinkStatus = previous.primaryLinkStatus }
    }

    // MARK: - Replication lag

    /// Byte lag is the primary's offset minus the furthest offset known for the replica: its own
    /// report, or the primary's record of its last acknowledgement (which still moves when the replica
    /// itself is unreachable from here). Seconds are the server's own measure: time since the last
    /// acknowledgement, or since the link went down.
    private static func fillReplicationLag(_ nodes: inout [SnapshotNode], voters: [Voter], voterIndexByID: [String: Int]) {
        for index in nodes.indices where nodes[index].role == .replica {
            guard let primaryID = nodes[index].primaryId else { continue }
            let primary = voterIndexByID[primaryID].map { voters[$0] }
            let replica = voterIndexByID[nodes[index].id].map { voters[$0] }
            setLag(&nodes[index], primary: primary, replica: replica)
        }
    }

    /// One replica's lag, from its primary's INFO and its own (either may be missing).
    private static func setLag(_ node: inout SnapshotNode, primary: Voter?, replica: Voter?) {
        // The address, not the node: a copy of a whole node per replica was a memmove and a
        // retain per field, every tick.
        let replicaAddress = node.address
        let ack = primary?.info.replicas.first { $0.address == replicaAddress }
        // The larger of what is known, without building arrays: this runs for every replica, every tick.
        let known = larger(replica?.info.replicationOffset, ack?.offset)
        if let primaryOffset = primary?.info.replicationOffset, let known {
            node.lagBytes = max(0, primaryOffset - known)
        }
        let linkDown = replica?.info.primaryLinkUp == false
            ? replica?.info.primaryLinkDownSinceSeconds ?? replica?.info.primaryLastIOSecondsAgo ?? 0
            : nil
        node.lagSeconds = larger(ack?.lagSeconds, linkDown)
    }

    private static func larger<Value: Comparable>(_ a: Value?, _ b: Value?) -> Value? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }

    // MARK: - Ordering and votes

    /// Primaries by their first slot, each followed by its replicas; nodes nobody claims go last.
    /// The nodes are moved into place by swaps: building a second array copied every node (about
    /// 40 fields, a retain for each reference), every tick (issue 12).
    @discardableResult
    private static func placeInOrder(_ nodes: inout [SnapshotNode]) -> [Int] {
        let order = ordered(nodes)
        assert(order.count == nodes.count, "the display order is a permutation of the nodes")
        // at[k]: where the node first at k is now; holder[p]: which first position is now at p.
        var at = Array(nodes.indices)
        var holder = Array(nodes.indices)
        for (target, source) in order.enumerated() {
            let current = at[source]
            guard current != target else { continue }
            nodes.swapAt(target, current)
            let displaced = holder[target]
            at[displaced] = current
            holder[current] = displaced
            at[source] = target
            holder[target] = source
        }
        return order
    }

    /// The positions of `nodes` in display order (see `placeInOrder`). Worked out on positions,
    /// with one lookup by id per replica: string-keyed tables of followers and placed ids were most
    /// of this, every tick (issue 12). Node ids are unique here.
    private static func ordered(_ nodes: [SnapshotNode]) -> [Int] {
        let primaries = nodes.indices.filter { nodes[$0].isPrimary }.sorted {
            let a = nodes[$0].slots.first?.start ?? Int.max
            let b = nodes[$1].slots.first?.start ?? Int.max
            return (a, nodes[$0].address) < (b, nodes[$1].address)
        }
        var rankOfPrimary: [String: Int] = [:]
        rankOfPrimary.reserveCapacity(primaries.count)
        for (rank, position) in primaries.enumerated() where rankOfPrimary[nodes[position].id] == nil {
            rankOfPrimary[nodes[position].id] = rank
        }
        // Each primary's followers, in input order, then by address.
        var followers = [[Int]](repeating: [], count: primaries.count)
        for position in nodes.indices {
            if let primaryID = nodes[position].primaryId, let rank = rankOfPrimary[primaryID] { followers[rank].append(position) }
        }
        var placed = [Bool](repeating: false, count: nodes.count)
        var result: [Int] = []
        result.reserveCapacity(nodes.count)
        for (rank, position) in primaries.enumerated() {
            result.append(position)
            placed[position] = true
            for replica in followers[rank].sorted(by: { nodes[$0].address < nodes[$1].address }) {
                result.append(replica)
                placed[replica] = true
            }
        }
        let rest = nodes.indices.filter { !placed[$0] }.sorted { nodes[$0].address < nodes[$1].address }
        result.append(contentsOf: rest)
        return result
    }

    private static func pluralityState(_ voters: [Voter]) -> String {
        guard !voters.isEmpty else { return "unknown" }
        var counts: [String: Int] = [:]
        for voter in voters { counts[voter.clusterInfo.state, default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "unknown"
    }

    /// The description most of the given lines share; among equally common ones, the one seen first.
    /// Each description is represented by the first line that gives it.
    private static func mostCommon(_ lines: [ViewIndex.LineRef], voters: [Voter]) -> TopologyEntry? {
        guard !lines.isEmpty else { return nil }
        var slotByKey: [TopologyEntry.RoleKey: Int] = [:]
        var counts: [Int] = []
        var firsts: [ViewIndex.LineRef] = []
        for ref in lines {
            let entry = voters[ref.voter].topology[ref.line]
            let key = TopologyEntry.RoleKey(role: entry.role, primaryID: entry.primaryID, address: entry.address)
            if let slot = slotByKey[key] {
                counts[slot] += 1
            } else {
                slotByKey[key] = counts.count
                counts.append(1)
                firsts.append(ref)
            }
        }
        var best = 0
        for slot in counts.indices where counts[slot] > counts[best] { best = slot }
        return voters[firsts[best].voter].topology[firsts[best].line]
    }
}

extension TopologyEntry {
    /// What two viewers must agree on to describe the same node the same way.
    struct RoleKey: Hashable {
        var role: NodeRole
        var primaryID: String?
        var address: NodeAddress?
    }
}

/// A node that answered this round: its report and its view. A class, so passing one around costs
/// a reference, not a copy of a whole report.
final class Voter {
    let report: NodeReport
    let id: String
    let myself: TopologyEntry
    let topology: [TopologyEntry]
    let clusterInfo: ClusterInfoReport
    let info: ServerInfo

    init?(_ report: NodeReport) {
        guard case .answered(let topology, let clusterInfo, let info) = report.outcome,
              let line = topology.indices.first(where: { topology[$0].flags.contains(.myself) }) else { return nil }
        let myself = topology[line]
        self.report = report
        self.id = myself.id
        self.myself = myself
        self.topology = topology
        self.clusterInfo = clusterInfo
        self.info = info
    }
}
