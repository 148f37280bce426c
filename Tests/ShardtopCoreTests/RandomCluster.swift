import ShardtopCore

/// A small, seeded generator (SplitMix64), so a failing randomized case can be replayed by its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds one round of node reports for a randomized cluster: primaries with replicas, every viewer
/// listing the nodes in its own order (as real servers do), and, when `chaos` is on, the things that
/// go wrong in real clusters: voters holding another slot view, unreachable nodes, open slots,
/// fail/pfail flags, broken links, half-known nodes in handshake, a seed that never answered,
/// a node dialled twice, a reply without a myself line.
///
/// It steers clear of inputs whose outcome the original assembler left to dictionary iteration
/// order (two owners claiming one slot in the winning view; a node nobody can speak for described
/// two ways by equally many voters), since no two implementations can be compared there.
struct RandomCluster {
    struct Member {
        var id: String
        var address: NodeAddress
        var role: NodeRole
        var primary: String?
        var slots: [SlotRange]
        var offset: Int64
    }

    var members: [Member] = []
    private var spareIDs: [String] = []

    init(primaries: Int, replicasPerPrimary: ClosedRange<Int>, chaos: Bool, rng: inout SeededGenerator) {
        var usedIDs = Set<String>()
        func newID() -> String {
            while true {
                let id = String((0..<40).map { _ in "0123456789abcdef".randomElement(using: &rng)! })
                if usedIDs.insert(id).inserted { return id }
            }
        }
        var port = 7000
        func newAddress() -> NodeAddress {
            port += 1
            return NodeAddress(host: "10.0.\(port / 250).\(port % 250)", port: port)
        }

        // Slots: contiguous blocks in a shuffled primary order; some primaries get two blocks (listed
        // out of order now and then), some none, and some slots nobody has.
        let cuts = (0..<(primaries * 2 - 1)).map { _ in Int.random(in: 1..<hashSlotCount, using: &rng) }
        let bounds = [0] + cuts.sorted() + [hashSlotCount]
        var blocks: [SlotRange] = []
        for index in 0..<(bounds.count - 1) where bounds[index] < bounds[index + 1] {
            blocks.append(SlotRange(bounds[index], bounds[index + 1] - 1))
        }
        var primaryMembers: [Member] = []
        for _ in 0..<primaries {
            primaryMembers.append(Member(id: newID(), address: newAddress(), role: .primary, primary: nil, slots: [],
                                         offset: Int64.random(in: 10_000...1_000_000, using: &rng)))
        }
        for block in blocks {
            if chaos, Int.random(in: 0..<20, using: &rng) == 0 { continue }  // uncovered
            let owner = Int.random(in: 0..<primaries, using: &rng)
            primaryMembers[owner].slots.append(block)
        }
        for index in primaryMembers.indices {
            primaryMembers[index].slots.sort()
            if primaryMembers[index].slots.count > 1, Bool.random(using: &rng) { primaryMembers[index].slots.reverse() }
        }
        for primary in primaryMembers {
            members.append(primary)
            for _ in 0..<Int.random(in: replicasPerPrimary, using: &rng) {
                let lag = Int64.random(in: 0...5_000, using: &rng)
                members.append(Member(id: newID(), address: newAddress(), role: .replica, primary: primary.id, slots: [],
                                      offset: max(0, primary.offset - lag)))
            }
        }
        if chaos, !members.isEmpty, Int.random(in: 0..<6, using: &rng) == 0 {
            // A replica of a primary nobody knows.
            members.append(Member(id: newID(), address: newAddress(), role: .replica, primary: newID(), slots: [], offset: 5))
        }
        members.shuffle(using: &rng)
        spareIDs = [newID(), newID()]
    }

    /// One poll round. With `chaos`, each round draws its own trouble, so consecutive rounds exercise
    /// what is carried over from the previous snapshot.
    func reports(time: Double, chaos: Bool, rng: inout SeededGenerator) -> [NodeReport] {
        var reports: [NodeReport] = []
        // Who does not answer, whose view of slots differs, who is flagged.
        var unreachable = Set<String>()
        var dissenting: [String: [Member]] = [:]
        var flagged: [String: NodeFlags] = [:]  // target id -> flags every viewer in `flaggers` shows
        var flaggers: [String: Set<String>] = [:]
        var linkDown: [String: Set<String>] = [:]  // target -> viewers that see its bus link down
        var openSlots: [String: [OpenSlotMark]] = [:]
        var handshake: Member?
        var handshakeSeenBy = Set<String>()
        var loading = Set<String>()
        var linkDownReplicas = Set<String>()
        // Some viewers still think one replica follows another primary (a failover half gossiped).
        var staleReplica: String?
        var stalePrimary: String?
        var staleViewers = Set<String>()

        if chaos {
            for member in members where Int.random(in: 0..<8, using: &rng) == 0 { unreachable.insert(member.id) }
            let primaryIDs = members.filter { $0.role == .primary }.map(\.id)
            for member in members where Int.random(in: 0..<7, using: &rng) == 0 {
                dissenting[member.id] = Self.alteredView(members, rng: &rng)
            }
            if Int.random(in: 0..<5, using: &rng) == 0 {
                // A real split: one other view held by a random share of the nodes, sometimes most of them.
                let other = Self.alteredView(members, rng: &rng)
                for member in members where Bool.random(using: &rng) { dissenting[member.id] = other }
            }
            for member in members where Int.random(in: 0..<6, using: &rng) == 0 {
                flagged[member.id] = [[.pfail], [.fail], [.pfail, .fail], [.nofailover]].randomElement(using: &rng)!
                flaggers[member.id] = Set(members.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }.map(\.id))
            }
            for member in members where Int.random(in: 0..<5, using: &rng) == 0 {
                // Seen down by a third of the viewers, or by two thirds (then most others agree).
                let share = Int.random(in: 1...2, using: &rng)
                linkDown[member.id] = Set(members.filter { _ in Int.random(in: 0..<3, using: &rng) < share }.map(\.id))
            }
            for id in primaryIDs where Int.random(in: 0..<5, using: &rng) == 0 {
                let peer = primaryIDs.randomElement(using: &rng)!
                openSlots[id] = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    OpenSlotMark(slot: Int.random(in: 0..<hashSlotCount, using: &rng),
                                 direction: Bool.random(using: &rng) ? .migrating : .importing, peerID: peer)
                }
            }
            if Int.random(in: 0..<4, using: &rng) == 0 {
                handshake = Member(id: spareIDs[0], address: NodeAddress(host: "10.8.8.8", port: 7999), role: .primary,
                                   primary: nil, slots: [], offset: 0)
                handshakeSeenBy = Set(members.filter { _ in Bool.random(using: &rng) }.map(\.id))
            }
            for member in members where Int.random(in: 0..<15, using: &rng) == 0 { loading.insert(member.id) }
            if Int.random(in: 0..<3, using: &rng) == 0,
               let replica = members.filter({ $0.role == .replica }).randomElement(using: &rng),
               let primary = primaryIDs.randomElement(using: &rng) {
                staleReplica = replica.id
                stalePrimary = primary
                staleViewers = Set(members.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }.map(\.id))
            }
            for member in members where member.role == .replica && Int.random(in: 0..<6, using: &rng) == 0 {
                linkDownReplicas.insert(member.id)
            }
        }

        // Out of ten voters, how many say cluster_state:fail: now and then most of them.
        let failShare = chaos && Int.random(in: 0..<6, using: &rng) == 0 ? 6 : 1
        let byID = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0) })
        for viewer in members {
            if unreachable.contains(viewer.id) {
                reports.append(NodeReport(address: viewer.address, time: time, outcome: .failed(reason: "timed out after 500 ms")))
                continue
            }
            let seen = dissenting[viewer.id] ?? members
            var topology: [TopologyEntry] = seen.map { member in
                var flags: NodeFlags = member.role == .primary ? .primary : .replica
                if member.id == viewer.id { flags.insert(.myself) }
                if member.id != viewer.id, let extra = flagged[member.id], flaggers[member.id]?.contains(viewer.id) == true {
                    flags.formUnion(extra)
                }
                // Fresh strings and arrays per viewer, as parsing each reply gives (shared ones would flatter
                // the timings: one id object per node stays in cache however many views mention it).
                return TopologyEntry(
                    id: Self.fresh(member.id), address: NodeAddress(host: Self.fresh(member.address.host), port: member.address.port),
                    busPort: member.address.port + 10000,
                    flags: flags,
                    primaryID: (member.id == staleReplica && member.id != viewer.id && staleViewers.contains(viewer.id)
                        ? stalePrimary : member.primary).map(Self.fresh),
                    configEpoch: member.role == .primary ? Int64(member.address.port - 7000) : 0,
                    linkConnected: member.id == viewer.id || linkDown[member.id]?.contains(viewer.id) != true,
                    slots: member.slots.map { $0 },
                    openSlots: member.id == viewer.id ? openSlots[viewer.id] ?? [] : []
                )
            }
            if let handshake, handshakeSeenBy.contains(viewer.id) {
                topology.append(TopologyEntry(id: handshake.id, address: nil, flags: [.primary, .handshake, .noaddr],
                                              primaryID: nil, configEpoch: 0, linkConnected: false, slots: []))
            }
            if chaos, !topology.isEmpty, Int.random(in: 0..<25, using: &rng) == 0 {
                // The same node listed twice; the extra line holds none or only some of its slots
                // (never another node's, so no slot gets two owners).
                var again = topology.randomElement(using: &rng)!
                again.slots = Array(again.slots.prefix(Int.random(in: 0...1, using: &rng)))
                again.flags.remove(.myself)
                again.linkConnected.toggle()
                topology.append(again)
            }
            topology.shuffle(using: &rng)
            if chaos, Int.random(in: 0..<40, using: &rng) == 0 {
                topology = topology.map { var e = $0; e.flags.remove(.myself); return e }  // no myself line: not a voter
            }

            var info = ServerInfo(serverName: Bool.random(using: &rng) ? "redis" : "valkey", version: "7.2.4",
                                  keys: Int64.random(in: 0...100_000, using: &rng), loading: loading.contains(viewer.id))
            info.role = viewer.role
            info.opsPerSec = Int.random(in: 0...50_000, using: &rng)
            info.usedMemory = Int64.random(in: 1_000_000...9_000_000, using: &rng)
            info.connectedClients = Int.random(in: 0...100, using: &rng)
            info.cpuSystemSeconds = Double(Int.random(in: 0...1000, using: &rng))
            info.cpuUserSeconds = Double(Int.random(in: 0...1000, using: &rng))
            info.replicationOffset = viewer.offset
            if viewer.role == .primary {
                info.replicas = members.filter { $0.primary == viewer.id && Int.random(in: 0..<5, using: &rng) != 0 }.map {
                    ReplicaAck(address: $0.address, state: "online", offset: $0.offset + Int64.random(in: 0...10, using: &rng),
                               lagSeconds: Int.random(in: 0...3, using: &rng))
                }
            } else {
                let down = linkDownReplicas.contains(viewer.id)
                info.primaryLinkUp = !down
                info.primaryAddress = viewer.primary.flatMap { byID[$0]?.address }
                if down {
                    info.primaryLinkDownSinceSeconds = Bool.random(using: &rng) ? Int.random(in: 1...60, using: &rng) : nil
                    info.primaryLastIOSecondsAgo = Bool.random(using: &rng) ? Int.random(in: 1...60, using: &rng) : nil
                    info.syncInProgress = Bool.random(using: &rng)
                    info.syncPercent = Double(Int.random(in: 0...100, using: &rng))
                }
            }
            reports.append(NodeReport(
                address: viewer.address, time: time, roundTripSeconds: Double(Int.random(in: 1...900, using: &rng)) / 1e6,
                outcome: .answered(
                    topology: topology,
                    clusterInfo: ClusterInfoReport(
                        state: Int.random(in: 0..<10, using: &rng) < failShare ? "fail" : "ok",
                        currentEpoch: Int64.random(in: 1...(Int64(members.count) + 2), using: &rng)
                    ),
                    info: info
                )
            ))
        }
        if chaos, Int.random(in: 0..<5, using: &rng) == 0 {
            reports.append(NodeReport(address: NodeAddress(host: "10.9.9.9", port: 6379), time: time, outcome: .failed(reason: "connection refused")))
        }
        if chaos, !reports.isEmpty, Int.random(in: 0..<8, using: &rng) == 0 {
            reports.append(reports.randomElement(using: &rng)!)  // a node dialled twice (seed and gossip)
        }
        reports.shuffle(using: &rng)
        return reports
    }

    /// An equal string in its own storage.
    private static func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

    /// Another, overlap-free view of who owns what: a boundary between two blocks moved, or a block dropped.
    private static func alteredView(_ members: [Member], rng: inout SeededGenerator) -> [Member] {
        var view = members
        var owned: [(member: Int, range: Int)] = []
        for (m, member) in view.enumerated() { for r in member.slots.indices { owned.append((m, r)) } }
        guard let pick = owned.randomElement(using: &rng) else { return view }
        let range = view[pick.member].slots[pick.range]
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            view[pick.member].slots.remove(at: pick.range)
        case 1 where range.count > 1:
            view[pick.member].slots[pick.range].end = range.start + Int.random(in: 0..<(range.count - 1), using: &rng)
        default:
            // Hand the whole block to someone else (a failover seen by a few), keeping slots disjoint.
            let other = Int.random(in: view.indices, using: &rng)
            view[pick.member].slots.remove(at: pick.range)
            view[other].slots.append(range)
        }
        return view
    }

    /// Whether some node that did not answer is described in two ways by equally many of the others.
    /// The original assembler settled that by dictionary iteration order, so such rounds have no
    /// single expected answer and the equivalence test skips them.
    static func hasUndecidableDescription(_ reports: [NodeReport]) -> Bool {
        struct Key: Hashable {
            var role: NodeRole
            var primaryID: String?
            var address: NodeAddress?
        }
        var voterIDs = Set<String>()
        var views: [(id: String, firstLines: [String: TopologyEntry])] = []
        for report in reports {
            guard let myself = report.myself, case .answered(let topology, _, _) = report.outcome else { continue }
            voterIDs.insert(myself.id)
            views.append((myself.id, Dictionary(topology.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })))
        }
        let allIDs = Set(views.flatMap { $0.firstLines.keys })
        for id in allIDs where !voterIDs.contains(id) {
            var counts: [Key: Int] = [:]
            for view in views where view.id != id {
                guard let entry = view.firstLines[id] else { continue }
                counts[Key(role: entry.role, primaryID: entry.primaryID, address: entry.address), default: 0] += 1
            }
            let top = counts.values.max() ?? 0
            if counts.values.filter({ $0 == top }).count > 1 { return true }
        }
        return false
    }
}
