import ShardtopCore
@testable import ShardtopUI

/// Deterministic cluster states for screen snapshots. Reports are built the way the connector
/// builds them and go through the real SnapshotAssembler, so screens see realistic snapshots.
/// (Wire fixtures captured from real servers are tested in ShardtopRedisTests.)
enum ScreenFixtures {
    static let time: Double = 1_795_000_000  // a fixed instant, so clocks in the header never change

    struct Member {
        var id: String
        var port: Int
        var primary: String?
        var slots: [SlotRange]
        var offset: Int64 = 1_000_000
        var keys: Int64 = 50_000
        var ops: Int = 1200
        var memory: Int64 = 12_000_000
    }

    static func id(_ n: Int) -> String {
        let hex = Array("0123456789abcdef")
        var text = ""
        var value = n * 2654435761 % 4294967296
        for _ in 0..<40 { text.append(hex[value % 16]); value = (value / 16) + n * 7 + 3 }
        return text
    }

    static func cluster(primaries: Int, replicas: Int) -> [Member] {
        var members: [Member] = []
        var start = 0
        for p in 0..<primaries {
            let size = hashSlotCount / primaries + (p < hashSlotCount % primaries ? 1 : 0)
            members.append(Member(id: id(p), port: 7000 + p, primary: nil, slots: [SlotRange(start, start + size - 1)],
                                  keys: Int64(40_000 + p * 1_500), ops: 900 + p * 130, memory: Int64(10_000_000 + p * 700_000)))
            start += size
        }
        for r in 0..<(primaries * replicas) {
            let p = r % primaries
            members.append(Member(id: id(1000 + r), port: 7000 + primaries + r, primary: id(p), slots: [],
                                  keys: members[p].keys, ops: 40, memory: members[p].memory))
        }
        return members
    }

    static func reports(
        _ members: [Member], state: String = "ok", silent: Set<String> = [], failed: Set<String> = [],
        open: [String: [OpenSlotMark]] = [:], linkDown: Set<String> = [], at time: Double = time,
        adjust: (Member, inout ServerInfo) -> Void = { _, _ in }
    ) -> [NodeReport] {
        func address(_ m: Member) -> NodeAddress { NodeAddress(host: "10.0.\(m.port % 7).\(m.port % 250 + 1)", port: m.port) }
        return members.map { viewer in
            let addr = address(viewer)
            if silent.contains(viewer.id) {
                return NodeReport(address: addr, time: time, outcome: .failed(reason: "no reply within 1000 ms"))
            }
            let topology = members.map { m -> TopologyEntry in
                var flags: NodeFlags = m.primary == nil ? .primary : .replica
                if m.id == viewer.id { flags.insert(.myself) }
                if failed.contains(m.id) && m.id != viewer.id { flags.insert(.fail) }
                return TopologyEntry(id: m.id, address: address(m), flags: flags, primaryID: m.primary, configEpoch: 1,
                                     linkConnected: !failed.contains(m.id), slots: m.slots,
                                     openSlots: m.id == viewer.id ? open[m.id] ?? [] : [])
            }
            var info = ServerInfo(serverName: "redis", version: "7.0.15", keys: viewer.keys)
            info.role = viewer.primary == nil ? .primary : .replica
            info.opsPerSec = viewer.ops
            info.usedMemory = viewer.memory
            info.connectedClients = 12
            info.cpuSystemSeconds = 10
            info.cpuUserSeconds = 20
            info.replicationOffset = viewer.offset
            if viewer.primary == nil {
                info.replicas = members.filter { $0.primary == viewer.id }.map {
                    ReplicaAck(address: address($0), state: "online", offset: $0.offset, lagSeconds: linkDown.contains($0.id) ? 9 : 0)
                }
            } else {
                info.primaryLinkUp = !linkDown.contains(viewer.id)
                if linkDown.contains(viewer.id) { info.primaryLinkDownSinceSeconds = 9 }
            }
            adjust(viewer, &info)
            return NodeReport(address: addr, time: time, roundTripSeconds: 0.0004,
                              outcome: .answered(topology: topology, clusterInfo: ClusterInfoReport(state: state, currentEpoch: 7), info: info))
        }
    }

    /// A state as the app would hold it after `ticks` identical polls (so sparklines have history).
    static func state(_ reports: [NodeReport], width: Int, height: Int, events: [ClusterEvent] = [], screen: ScreenID = .overview) -> AppState {
        var state = AppState()
        state.width = width
        state.height = height
        state.now = time
        state.seedText = "10.0.0.1:7000"
        state.screen = screen
        var previous: ClusterSnapshot?
        for tick in 0..<8 {
            let snapshot = SnapshotAssembler.assemble(reports: reports, previous: previous, now: time - Double(7 - tick))
            state.history.record(snapshot)
            previous = snapshot
        }
        _ = Reducer.reduce(&state, .snapshotArrived(previous!, events))
        return state
    }

    /// Each fixture is assembled once (eight snapshots of up to 100 nodes is real work in a debug
    /// build) and copied per use; only the size and the screen differ between uses.
    static func sized(_ base: AppState, _ width: Int, _ height: Int, _ screen: ScreenID) -> AppState {
        var copy = base
        copy.width = width
        copy.height = height
        copy.screen = screen
        return copy
    }

    static let healthyBase = buildHealthy(width: 80, height: 24)
    static let failedPrimaryBase = buildFailedPrimary(width: 80, height: 24)
    static let openSlotsBase = buildOpenSlots(width: 80, height: 24)
    static let laggingReplicaBase = buildLaggingReplica(width: 80, height: 24)
    static let hundredNodesBase = buildHundredNodes(width: 80, height: 24)

    static func healthy(width: Int, height: Int, screen: ScreenID = .overview) -> AppState { sized(healthyBase, width, height, screen) }
    static func failedPrimary(width: Int, height: Int, screen: ScreenID = .overview) -> AppState { sized(failedPrimaryBase, width, height, screen) }
    static func openSlots(width: Int, height: Int, screen: ScreenID = .overview) -> AppState { sized(openSlotsBase, width, height, screen) }
    static func laggingReplica(width: Int, height: Int, screen: ScreenID = .overview) -> AppState { sized(laggingReplicaBase, width, height, screen) }
    static func hundredNodes(width: Int, height: Int, screen: ScreenID = .overview) -> AppState { sized(hundredNodesBase, width, height, screen) }

    static func buildHealthy(width: Int, height: Int, screen: ScreenID = .overview) -> AppState {
        state(reports(cluster(primaries: 3, replicas: 1)), width: width, height: height, screen: screen)
    }

    static func buildFailedPrimary(width: Int, height: Int, screen: ScreenID = .overview) -> AppState {
        let members = cluster(primaries: 3, replicas: 1)
        let victim = members[1].id
        let events = [
            ClusterEvent(time: time - 6, kind: .nodeUnreachable, severity: .error, node: victim, message: "10.0.3.2:7001 (\(victim.prefix(8))) unreachable from here: no reply within 1000 ms"),
            ClusterEvent(time: time - 3, kind: .healthChanged, severity: .error, node: victim, message: "10.0.3.2:7001 (\(victim.prefix(8))) cluster flags it fail"),
            ClusterEvent(time: time - 3, kind: .clusterStateChanged, severity: .error, node: nil, message: "cluster state ok -> fail"),
        ]
        return state(reports(members, state: "fail", silent: [victim], failed: [victim]), width: width, height: height, events: events, screen: screen)
    }

    static func buildOpenSlots(width: Int, height: Int, screen: ScreenID = .overview) -> AppState {
        let members = cluster(primaries: 3, replicas: 1)
        let open: [String: [OpenSlotMark]] = [
            members[0].id: [OpenSlotMark(slot: 100, direction: .migrating, peerID: members[1].id), OpenSlotMark(slot: 101, direction: .migrating, peerID: members[1].id)],
            members[1].id: [OpenSlotMark(slot: 100, direction: .importing, peerID: members[0].id), OpenSlotMark(slot: 101, direction: .importing, peerID: members[0].id)],
        ]
        return state(reports(members, open: open), width: width, height: height, screen: screen)
    }

    static func buildLaggingReplica(width: Int, height: Int, screen: ScreenID = .overview) -> AppState {
        var members = cluster(primaries: 3, replicas: 1)
        members[0].offset = 90_000_000
        members[3].offset = 52_000_000
        return state(reports(members, linkDown: [members[3].id]), width: width, height: height, screen: screen)
    }

    static func buildHundredNodes(width: Int, height: Int, screen: ScreenID = .overview) -> AppState {
        state(reports(cluster(primaries: 50, replicas: 1)), width: width, height: height, screen: screen)
    }

    static let all: [(name: String, make: @Sendable (Int, Int, ScreenID) -> AppState)] = [
        ("healthy", healthy), ("failed-primary", failedPrimary), ("open-slots", openSlots),
        ("lagging-replica", laggingReplica), ("100-nodes", hundredNodes),
    ]
}
