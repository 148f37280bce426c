// PRE-OPTIMISATION REFERENCE. A verbatim copy of `SnapshotAssembler` as it was before the
// performance rewrite, kept in the test target only so `SnapshotAssemblerEquivalenceTests` can check
// that the optimised assembler returns exactly what this one does, and time the two side by side.
// Types are renamed (Reference*) so they do not clash with ShardtopCore's internal ones.
// Do not "fix" or speed this file up: its whole value is being the old behaviour.

import ShardtopCore

/// Turns one round of node reports into a `ClusterSnapshot`. Pure: no clock, no I/O.
///
/// Every node that answered is a voter with its own view of the cluster (its CLUSTER NODES).
/// The slot table comes from the view most voters share; voters with another view are listed
/// as disagreeing, because during an incident that split is exactly what an operator must see.
/// What a node says about itself (role, open slots, INFO numbers) comes from its own reply.
enum ReferenceSnapshotAssembler {
    static func assemble(reports: [NodeReport], previous: ClusterSnapshot?, now: Double) -> ClusterSnapshot {
        let voters = reports.compactMap(ReferenceVoter.init)
        let majority = ReferenceMajorityView(voters: voters)
        let previousByID = Dictionary(previous?.nodes.map { ($0.id, $0) } ?? [], uniquingKeysWith: { a, _ in a })
        let reportByAddress = Dictionary(reports.map { ($0.address, $0) }, uniquingKeysWith: { _, b in b })

        var nodes: [SnapshotNode] = []
        var placedAddresses = Set<NodeAddress>()
        for id in majority.allNodeIDs {
            let voter = voters.first { $0.id == id }
            let othersViews = voters.filter { $0.id != id }.compactMap { $0.entriesByID[id] }
            guard let node = makeNode(
                id: id, voter: voter, othersViews: othersViews, majority: majority,
                reportByAddress: reportByAddress, previous: previousByID[id]
            ) else { continue }
            placedAddresses.insert(node.address)
            nodes.append(node)
        }
        // Addresses we dialled that no answering node knows: a wrong seed, or a cluster we cannot reach at all.
        for report in reports where !placedAddresses.contains(report.address) {
            guard case .failed(let reason) = report.outcome else { continue }
            var orphan = SnapshotNode(id: "?\(report.address)", address: report.address, role: .primary, health: .unreachable)
            orphan.error = reason
            orphan.linkConnected = false
            nodes.append(orphan)
        }

        let infoByID = Dictionary(voters.map { ($0.id, $0.info) }, uniquingKeysWith: { a, _ in a })
        fillReplicationLag(&nodes, infoByID: infoByID)
        nodes = ordered(nodes, slotOwnersByNode: majority.rangesByOwner)

        let shards = nodes.filter(\.isPrimary).filter { !$0.id.hasPrefix("?") }.map { primary in
            Shard(
                primaryId: primary.id,
                replicaIds: nodes.filter { $0.primaryId == primary.id }.map(\.id),
                slots: primary.slots
            )
        }
        var openSlots: [OpenSlot] = []
        for voter in voters where voter.myself.role == .primary {
            for mark in voter.myself.openSlots {
                openSlots.append(OpenSlot(slot: mark.slot, state: mark.direction, node: voter.id, peer: mark.peerID))
            }
        }
        openSlots.sort { ($0.slot, $0.state.rawValue, $0.node) < ($1.slot, $1.state.rawValue, $1.node) }

        return ClusterSnapshot(
            time: now,
            state: pluralityState(voters),
            nodes: nodes,
            shards: shards,
            slotOwners: SlotOwners(majority.slotOwners),
            openSlots: openSlots,
            disagreeingNodes: majority.dissenters,
            currentEpoch: voters.map(\.clusterInfo.currentEpoch).max() ?? 0
        )
    }

    // MARK: - One node

    private static func makeNode(
        id: String, voter: ReferenceVoter?, othersViews: [TopologyEntry], majority: ReferenceMajorityView,
        reportByAddress: [NodeAddress: NodeReport], previous: SnapshotNode?
    ) -> SnapshotNode? {
        let reference = voter?.myself ?? mostCommon(othersViews)
        guard let reference else { return nil }
        // A node's address is what we dialled when it answered; otherwise what the others gossip.
        guard let address = voter?.report.address ?? reference.address ?? previous?.address else { return nil }

        var node = SnapshotNode(id: id, address: address, role: reference.role, health: .ok)
        node.primaryId = reference.role == .replica ? reference.primaryID : nil
        node.configEpoch = reference.configEpoch
        node.slots = majority.rangesByOwner[id] ?? []
        node.linkConnected = othersViews.isEmpty
            ? true
            : othersViews.filter(\.linkConnected).count * 2 >= othersViews.count

        var viewFlags = reference.flags.subtracting([.myself, .pfail, .fail])
        if othersViews.contains(where: { $0.flags.contains(.fail) }) { viewFlags.insert(.fail) }
        if othersViews.contains(where: { $0.flags.contains(.pfail) }) { viewFlags.insert(.pfail) }
        node.flags = viewFlags.names

        var candidates: [NodeHealth] = [.ok]
        if viewFlags.contains(.fail) { candidates.append(.fail) }
        if viewFlags.contains(.pfail) { candidates.append(.pfail) }
        if viewFlags.contains(.handshake) { candidates.append(.handshake) }
        if viewFlags.contains(.noaddr) { candidates.append(.noaddr) }

        if let voter {
            apply(info: voter.info, report: voter.report, previous: previous, to: &node)
            if voter.info.loading { candidates.append(.loading) }
        } else {
            // Keep the last numbers we had, so the row does not go blank; `lastSeen` says how old they are.
            if let previous { carryOver(from: previous, to: &node) }
            if let report = reportByAddress[address], case .failed(let reason) = report.outcome {
                node.error = reason
                candidates.append(.unreachable)
            }
        }
        node.health = candidates.max { $0.severityRank < $1.severityRank } ?? .ok
        return node
    }

    private static func apply(info: ServerInfo, report: NodeReport, previous: SnapshotNode?, to node: inout SnapshotNode) {
        node.server = info.serverName
        node.version = info.version
        node.opsPerSec = info.opsPerSec
        node.usedMemory = info.usedMemory
        node.keys = info.keys
        node.clients = info.connectedClients
        node.replicationOffset = info.replicationOffset
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

    private static func carryOver(from previous: SnapshotNode, to node: inout SnapshotNode) {
        node.server = previous.server
        node.version = previous.version
        node.opsPerSec = previous.opsPerSec
        node.usedMemory = previous.usedMemory
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
    private static func fillReplicationLag(_ nodes: inout [SnapshotNode], infoByID: [String: ServerInfo]) {
        for index in nodes.indices where nodes[index].role == .replica {
            guard let primaryID = nodes[index].primaryId else { continue }
            let replica = nodes[index]
            let primaryInfo = infoByID[primaryID]
            let replicaInfo = infoByID[replica.id]
            let ack = primaryInfo?.replicas.first { $0.address == replica.address }
            let known = [replicaInfo?.replicationOffset, ack?.offset].compactMap { $0 }.max()
            if let primaryOffset = primaryInfo?.replicationOffset, let known {
                nodes[index].lagBytes = max(0, primaryOffset - known)
            }
            var seconds: [Int] = []
            if let ack { seconds.append(ack.lagSeconds) }
            if replicaInfo?.primaryLinkUp == false {
                seconds.append(replicaInfo?.primaryLinkDownSinceSeconds ?? replicaInfo?.primaryLastIOSecondsAgo ?? 0)
            }
            nodes[index].lagSeconds = seconds.max()
        }
    }

    // MARK: - Ordering and votes

    /// Primaries by their first slot, each followed by its replicas; nodes nobody claims go last.
    private static func ordered(_ nodes: [SnapshotNode], slotOwnersByNode: [String: [SlotRange]]) -> [SnapshotNode] {
        let primaries = nodes.filter(\.isPrimary).sorted {
            let a = $0.slots.first?.start ?? Int.max
            let b = $1.slots.first?.start ?? Int.max
            return (a, $0.address) < (b, $1.address)
        }
        var result: [SnapshotNode] = []
        var placed = Set<String>()
        for primary in primaries {
            result.append(primary)
            placed.insert(primary.id)
            for replica in nodes.filter({ $0.primaryId == primary.id }).sorted(by: { $0.address < $1.address }) {
                result.append(replica)
                placed.insert(replica.id)
            }
        }
        result += nodes.filter { !placed.contains($0.id) }.sorted { $0.address < $1.address }
        return result
    }

    private static func pluralityState(_ voters: [ReferenceVoter]) -> String {
        guard !voters.isEmpty else { return "unknown" }
        var counts: [String: Int] = [:]
        for voter in voters { counts[voter.clusterInfo.state, default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "unknown"
    }

    private static func mostCommon(_ entries: [TopologyEntry]) -> TopologyEntry? {
        guard !entries.isEmpty else { return nil }
        var counts: [ReferenceRoleKey: (Int, TopologyEntry)] = [:]
        for entry in entries {
            let key = ReferenceRoleKey(role: entry.role, primaryID: entry.primaryID, address: entry.address)
            counts[key] = ((counts[key]?.0 ?? 0) + 1, counts[key]?.1 ?? entry)
        }
        return counts.values.max { $0.0 < $1.0 }?.1
    }
}

/// What two viewers must agree on to describe the same node the same way.
struct ReferenceRoleKey: Hashable {
        var role: NodeRole
    var primaryID: String?
    var address: NodeAddress?
}

/// A node that answered this round: its report and its view.
struct ReferenceVoter {
    let report: NodeReport
    let id: String
    let myself: TopologyEntry
    let topology: [TopologyEntry]
    let entriesByID: [String: TopologyEntry]
    let clusterInfo: ClusterInfoReport
    let info: ServerInfo

    init?(_ report: NodeReport) {
        guard case .answered(let topology, let clusterInfo, let info) = report.outcome,
              let myself = topology.first(where: { $0.flags.contains(.myself) }) else { return nil }
        self.report = report
        self.id = myself.id
        self.myself = myself
        self.topology = topology
        self.entriesByID = Dictionary(topology.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.clusterInfo = clusterInfo
        self.info = info
    }

    /// Who owns which slots, in this viewer's eyes, as a comparable value.
    var ownership: [String: [SlotRange]] {
        var result: [String: [SlotRange]] = [:]
        for entry in topology where !entry.slots.isEmpty {
            result[entry.id] = entry.slots.sorted()
        }
        return result
    }
}

/// The slot ownership most voters agree on, and who dissents.
struct ReferenceMajorityView {
    let rangesByOwner: [String: [SlotRange]]
    let slotOwners: [String?]
    let dissenters: [String]
    let allNodeIDs: [String]

    init(voters: [ReferenceVoter]) {
        var tally: [[String: [SlotRange]]: [String]] = [:]
        for voter in voters { tally[voter.ownership, default: []].append(voter.id) }
        // Most voters wins; a tie goes to the view held by the voter with the smallest id, so the pick is stable.
        let winner = tally.max { a, b in
            (a.value.count, b.value.min() ?? "") < (b.value.count, a.value.min() ?? "")
        }
        rangesByOwner = winner?.key ?? [:]
        let winners = Set(winner?.value ?? [])
        dissenters = voters.map(\.id).filter { !winners.contains($0) }.sorted()

        var owners = [String?](repeating: nil, count: hashSlotCount)
        for (owner, ranges) in rangesByOwner {
            for range in ranges where range.start >= 0 && range.end < hashSlotCount {
                for slot in range.start...range.end { owners[slot] = owner }
            }
        }
        slotOwners = owners

        var ids = Set<String>()
        for voter in voters { for entry in voter.topology { ids.insert(entry.id) } }
        allNodeIDs = ids.sorted()
    }
}
