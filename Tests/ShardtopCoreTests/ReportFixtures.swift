import ShardtopCore

/// Builds node reports for a small cluster by hand, so the pure assembly can be tested without servers.
/// (Replies captured from real servers are tested in ShardtopRedisTests; integration tests use live clusters.)
struct FakeCluster {
    struct Member {
        var id: String
        var port: Int
        var role: NodeRole
        var primary: String?
        var slots: [SlotRange]
        var offset: Int64 = 1000
    }

    var members: [Member]
    var state = "ok"
    var host = "127.0.0.1"

    /// Three primaries with one replica each, slots split as redis-cli would split them.
    static func threeByOne() -> FakeCluster {
        FakeCluster(members: [
            Member(id: "a".padded, port: 7001, role: .primary, primary: nil, slots: [SlotRange(0, 5460)]),
            Member(id: "b".padded, port: 7002, role: .primary, primary: nil, slots: [SlotRange(5461, 10922)]),
            Member(id: "c".padded, port: 7003, role: .primary, primary: nil, slots: [SlotRange(10923, 16383)]),
            Member(id: "d".padded, port: 7004, role: .replica, primary: "a".padded, slots: []),
            Member(id: "e".padded, port: 7005, role: .replica, primary: "b".padded, slots: []),
            Member(id: "f".padded, port: 7006, role: .replica, primary: "c".padded, slots: []),
        ])
    }

    func address(_ member: Member) -> NodeAddress { NodeAddress(host: host, port: member.port) }

    func entry(_ member: Member, viewer: Member, extraFlags: NodeFlags = [], openSlots: [OpenSlotMark] = []) -> TopologyEntry {
        var flags: NodeFlags = member.role == .primary ? .primary : .replica
        if member.id == viewer.id { flags.insert(.myself) }
        flags.formUnion(extraFlags)
        return TopologyEntry(
            id: member.id, address: address(member), flags: flags, primaryID: member.primary,
            configEpoch: 1, linkConnected: true, slots: member.slots,
            openSlots: member.id == viewer.id ? openSlots : []
        )
    }

    func info(_ member: Member) -> ServerInfo {
        var info = ServerInfo(serverName: "redis", version: "7.0.15", keys: 10)
        info.role = member.role
        info.replicationOffset = member.offset
        info.opsPerSec = 5
        info.usedMemory = 1_000_000
        info.connectedClients = 2
        info.cpuSystemSeconds = 1
        info.cpuUserSeconds = 1
        if member.role == .primary {
            info.replicas = members.filter { $0.primary == member.id }.map {
                ReplicaAck(address: address($0), state: "online", offset: $0.offset, lagSeconds: 0)
            }
        } else {
            info.primaryLinkUp = true
        }
        return info
    }

    /// Every member answers, each seeing everyone as `flagsFor` says.
    func reports(
        time: Double = 100,
        unreachable: Set<String> = [],
        flagsFor: (Member) -> NodeFlags = { _ in [] },
        openSlots: [String: [OpenSlotMark]] = [:],
        view: (Member) -> [Member]? = { _ in nil }
    ) -> [NodeReport] {
        members.map { viewer in
            if unreachable.contains(viewer.id) {
                return NodeReport(address: address(viewer), time: time, outcome: .failed(reason: "timed out after 500 ms"))
            }
            let seen = view(viewer) ?? members
            let topology = seen.map { entry($0, viewer: viewer, extraFlags: $0.id == viewer.id ? [] : flagsFor($0), openSlots: openSlots[viewer.id] ?? []) }
            return NodeReport(
                address: address(viewer), time: time, roundTripSeconds: 0.001,
                outcome: .answered(topology: topology, clusterInfo: ClusterInfoReport(state: state, currentEpoch: 6), info: info(viewer))
            )
        }
    }
}

extension String {
    /// Node ids are 40 hex characters; tests use one repeated letter for readability.
    var padded: String { String(repeating: self, count: 40) }
}
