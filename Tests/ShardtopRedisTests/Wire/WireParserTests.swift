import Foundation
import ShardtopCore
import Testing
@testable import ShardtopRedis

// Fixtures were captured with redis-cli from throwaway loopback clusters (redis-server 7.0.15,
// valkey-server 9.1.2); the expectations below were read off the fixture text by hand.

/// Redis 7 cluster: A/B/C are the primaries created on ports 39236-39238, D/E/F their replicas.
private enum Redis7 {
    static let a = "6b962a110a5c07a3c0d43298b222b8805bfcf8f3"
    static let b = "b91720b4f43ec306bd9355dd5a0ff4e5df4cf313"
    static let c = "ce60a10a541b5cf464913e072324b105f5675794"
    static let d = "efd8dfa9c042b5e630eae92c4117705abb6ff413"
    static let e = "9ffca1d28b11028be297d57757f24217e6606b14"
    static let f = "142418c13b7d2c4200619132c36a74caac4fe64d"
}

/// Valkey 9 cluster on ports 38822-38827, laid out like Redis7.
private enum Valkey9 {
    static let a = "3b9cbcb37f5254e1e2ddaee5b5cef9605507f573"
    static let b = "d7998c3cc2937cadcda4cf30e854983940e62dc5"
    static let c = "11ee1451f821fe4f8f3a3e6481b399abe12dde5e"
    static let d = "5478333b5c81bac50b7d4d8484ad4e88da430c48"
    static let e = "670ac8666957fc14e8176b6acd61d82233d0421f"
    static let f = "aae94361569db1cb901bcf77bbc1fe59afb589e5"
    static let stranger = "803f5f6e821ca2f0e6587a5d60b21d50f9844bf2"
}

/// The parts of a line that define the cluster's shape, so whole topologies compare in one #expect.
private struct Shape: Hashable, CustomStringConvertible {
    var id: String
    var port: Int?
    var role: NodeRole
    var primaryID: String?
    var slots: [SlotRange]

    init(_ id: String, _ port: Int?, _ role: NodeRole, of primaryID: String? = nil, _ slots: [SlotRange] = []) {
        (self.id, self.port, self.role, self.primaryID, self.slots) = (id, port, role, primaryID, slots)
    }

    init(_ entry: TopologyEntry) {
        self.init(entry.id, entry.address?.port, entry.role, of: entry.primaryID, entry.slots)
    }

    var description: String { "\(id.prefix(6)) :\(port.map(String.init) ?? "-") \(role) \(primaryID?.prefix(6) ?? "-") \(slots)" }
}

private func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures"))
    return try String(contentsOf: url, encoding: .utf8)
}

private func topology(_ name: String) throws -> [TopologyEntry] {
    try ClusterNodesParser.parse(fixture(name))
}

private func shapes(_ entries: [TopologyEntry]) -> Set<Shape> { Set(entries.map(Shape.init)) }

private func entry(_ id: String, in entries: [TopologyEntry]) throws -> TopologyEntry {
    try #require(entries.first { $0.id == id })
}

private func myself(_ entries: [TopologyEntry]) throws -> TopologyEntry {
    let mine = entries.filter { $0.flags.contains(.myself) }
    try #require(mine.count == 1)
    return mine[0]
}

private let redis7Healthy: Set<Shape> = [
    Shape(Redis7.a, 39236, .primary, [SlotRange(0, 5460)]),
    Shape(Redis7.b, 39237, .primary, [SlotRange(5461, 10922)]),
    Shape(Redis7.c, 39238, .primary, [SlotRange(10923, 16383)]),
    Shape(Redis7.d, 39239, .replica, of: Redis7.c),
    Shape(Redis7.e, 39240, .replica, of: Redis7.a),
    Shape(Redis7.f, 39241, .replica, of: Redis7.b),
]

private let valkey9Healthy: Set<Shape> = [
    Shape(Valkey9.a, 38822, .primary, [SlotRange(0, 5460)]),
    Shape(Valkey9.b, 38823, .primary, [SlotRange(5461, 10922)]),
    Shape(Valkey9.c, 38824, .primary, [SlotRange(10923, 16383)]),
    Shape(Valkey9.d, 38825, .replica, of: Valkey9.c),
    Shape(Valkey9.e, 38826, .replica, of: Valkey9.a),
    Shape(Valkey9.f, 38827, .replica, of: Valkey9.b),
]

@Suite struct WireParserClusterNodesTests {
    @Test func redisPrimaryView() throws {
        let entries = try topology("redis7-nodes-primary")
        #expect(shapes(entries) == redis7Healthy)
        let me = try myself(entries)
        #expect(me.id == Redis7.a)
        #expect(me.flags == [.myself, .primary])
        #expect(me.address == NodeAddress(host: "127.0.0.1", port: 39236))
        #expect(me.busPort == 49236)
        #expect(me.hostname == nil)
        #expect(me.openSlots.isEmpty)
        let c = try entry(Redis7.c, in: entries)
        #expect(c.pingSentMillis == 0)
        #expect(c.pongReceivedMillis == 1_795_354_214_829)
        #expect(c.configEpoch == 3)
        #expect(entries.allSatisfy { $0.linkConnected })
    }

    @Test func redisReplicaView() throws {
        let entries = try topology("redis7-nodes-replica")
        #expect(shapes(entries) == redis7Healthy)
        let me = try myself(entries)
        #expect(me.id == Redis7.e)
        #expect(me.flags == [.myself, .replica])
        #expect(me.primaryID == Redis7.a)
        // A replica's epoch column repeats its primary's.
        #expect(me.configEpoch == 1)
    }

    @Test func valkeyViewsCarryHostname() throws {
        for name in ["valkey9-nodes-primary", "valkey9-nodes-replica"] {
            let entries = try topology(name)
            #expect(shapes(entries) == valkey9Healthy, "\(name)")
            let b = try entry(Valkey9.b, in: entries)
            #expect(b.hostname == "valkey-b.shardtop.test")
            #expect(b.address == NodeAddress(host: "127.0.0.1", port: 38823))
            #expect(b.busPort == 48823)
        }
        #expect(try myself(topology("valkey9-nodes-primary")).id == Valkey9.a)
        let replica = try myself(topology("valkey9-nodes-replica"))
        #expect(replica.id == Valkey9.e)
        #expect(replica.primaryID == Valkey9.a)
        // Valkey prints 0 for its own pong time.
        #expect(replica.pongReceivedMillis == 0)
    }

    @Test(arguments: [
        ("redis7-nodes-importing", Redis7.b, OpenSlotMark(slot: 100, direction: .importing, peerID: Redis7.a)),
        ("redis7-nodes-migrating", Redis7.a, OpenSlotMark(slot: 100, direction: .migrating, peerID: Redis7.b)),
        ("valkey9-nodes-importing", Valkey9.b, OpenSlotMark(slot: 100, direction: .importing, peerID: Valkey9.a)),
        ("valkey9-nodes-migrating", Valkey9.a, OpenSlotMark(slot: 100, direction: .migrating, peerID: Valkey9.b)),
    ])
    func openSlotsOnlyOnMyself(name: String, viewer: String, mark: OpenSlotMark) throws {
        let entries = try topology(name)
        let me = try myself(entries)
        #expect(me.id == viewer)
        #expect(me.openSlots == [mark])
        #expect(entries.filter { !$0.openSlots.isEmpty }.count == 1)
        // Comparing whole shapes also proves the open-slot token did not leak into the owned slots.
        let healthy = name.hasPrefix("redis7") ? redis7Healthy : valkey9Healthy
        #expect(shapes(entries) == healthy)
    }

    @Test func singleSlotTokensAfterAMove() throws {
        let entries = try topology("valkey9-nodes-moved-slot")
        #expect(try entry(Valkey9.a, in: entries).slots == [SlotRange(0, 99), SlotRange(101, 5460)])
        #expect(try entry(Valkey9.b, in: entries).slots == [SlotRange(100, 100), SlotRange(5461, 10922)])
        #expect(try entry(Valkey9.b, in: entries).configEpoch == 7)
        #expect(entries.allSatisfy { $0.openSlots.isEmpty })
    }

    @Test func suspectedPrimary() throws {
        let entries = try topology("redis7-nodes-pfail")
        let c = try entry(Redis7.c, in: entries)
        #expect(c.flags == [.primary, .pfail])
        #expect(c.pingSentMillis == 1_795_354_223_584)
        #expect(c.pongReceivedMillis == 1_795_354_222_000)
        #expect(c.slots == [SlotRange(10923, 16383)])
        #expect(c.linkConnected)
        #expect(entries.filter { $0.flags.contains(.pfail) || $0.flags.contains(.fail) }.count == 1)
    }

    @Test func failedPrimaryAfterPromotion() throws {
        let entries = try topology("redis7-nodes-failover")
        let c = try entry(Redis7.c, in: entries)
        #expect(c.flags == [.primary, .fail])
        #expect(c.slots.isEmpty)
        let d = try entry(Redis7.d, in: entries)
        #expect(d.role == .primary)
        #expect(d.primaryID == nil)
        #expect(d.configEpoch == 7)
        #expect(d.slots == [SlotRange(10923, 16383)])
    }

    @Test func replicaThatWillNotFailOver() throws {
        let entries = try topology("redis7-nodes-nofailover")
        let me = try myself(entries)
        #expect(me.id == Redis7.c)
        #expect(me.flags == [.myself, .replica, .nofailover])
        #expect(me.primaryID == Redis7.d)
        let d = try entry(Redis7.d, in: entries)
        #expect(d.flags == [.primary, .fail])
        #expect(!d.linkConnected)
        #expect(d.slots == [SlotRange(10923, 16383)])
    }

    @Test func handshakeWithUnknownPeer() throws {
        let entries = try topology("valkey9-nodes-handshake")
        #expect(entries.count == 7)
        let stranger = try entry(Valkey9.stranger, in: entries)
        #expect(stranger.flags == [.handshake])
        #expect(stranger.address == NodeAddress(host: "127.0.0.1", port: 38830))
        #expect(stranger.primaryID == nil)
        #expect(stranger.configEpoch == 0)
        #expect(!stranger.linkConnected)
        #expect(stranger.slots.isEmpty)
    }

    @Test func toleratesCRLFTrailingSpaceAndBlankLines() throws {
        let text = try fixture("redis7-nodes-migrating")
        let mangled = "\r\n" + text.split(separator: "\n").map { $0 + "  \t" }.joined(separator: "\r\n") + "\r\n\r\n   \n"
        #expect(try ClusterNodesParser.parse(mangled) == ClusterNodesParser.parse(text))
    }

    @Test func unknownAddressAndFlags() throws {
        let line = "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca :0@0 master,noaddr,futureflag - 1 2 3 disconnected\n"
            + "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9cb ::1:7001@17001,,shard-id=ab noflags - 0 0 0 connected 5\n"
            + "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9cc 10.0.0.1:7002 myself,slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9cb 0 0 4 connected"
        let entries = try ClusterNodesParser.parse(line)
        #expect(entries[0].address == nil)
        #expect(entries[0].busPort == nil)
        #expect(entries[0].flags == [.primary, .noaddr])
        #expect(entries[1].address == NodeAddress(host: "::1", port: 7001))
        #expect(entries[1].hostname == nil)
        #expect(entries[1].flags == [])
        #expect(entries[1].slots == [SlotRange(5, 5)])
        // Before Redis 4 the bus port was not printed.
        #expect(entries[2].address == NodeAddress(host: "10.0.0.1", port: 7002))
        #expect(entries[2].busPort == nil)
        #expect(entries[2].role == .replica)
    }
}

@Suite struct WireParserMalformedTests {
    private let goodLine = "6b962a110a5c07a3c0d43298b222b8805bfcf8f3 127.0.0.1:39236@49236 myself,master - 0 1795354213000 1 connected 0-5460"

    private func error(_ text: String) -> WireParseError? {
        do {
            _ = try ClusterNodesParser.parse(text)
            return nil
        } catch {
            return error as? WireParseError
        }
    }

    @Test func truncatedLineNamesItsNumber() throws {
        let truncated = goodLine.split(separator: " ").prefix(5).joined(separator: " ")
        let failure = try #require(error(goodLine + "\n" + truncated + "\n"))
        #expect(failure.lineNumber == 2)
        #expect(failure.line == truncated)
        #expect(failure.description.hasPrefix("CLUSTER NODES line 2: expected at least 8 fields, found 5"))
    }

    @Test(arguments: ["0-99999", "99999", "16384", "-1", "10-5", "x", "5-", "[100->-nothex]", "[100=>-\(Redis7.b)]", "[100->-\(Redis7.b)"])
    func badSlotTokens(token: String) throws {
        let failure = try #require(error(goodLine.replacingOccurrences(of: "0-5460", with: token)))
        #expect(failure.lineNumber == 1)
    }

    @Test func slotOutOfRangeIsExplained() throws {
        let failure = try #require(error(goodLine.replacingOccurrences(of: "0-5460", with: "0-99999")))
        #expect(failure.reason == "slot 99999 out of range 0-16383")
    }

    @Test(arguments: [
        ("bad id", "6b96 127.0.0.1:39236@49236 master - 0 0 1 connected"),
        ("bad port", "\(Redis7.a) 127.0.0.1:99999@49236 master - 0 0 1 connected"),
        ("no port", "\(Redis7.a) 127.0.0.1 master - 0 0 1 connected"),
        ("bad primary", "\(Redis7.a) 127.0.0.1:1@2 slave 12 0 0 1 connected"),
        ("bad number", "\(Redis7.a) 127.0.0.1:1@2 master - 0 abc 1 connected"),
        ("negative epoch", "\(Redis7.a) 127.0.0.1:1@2 master - 0 0 -1 connected"),
        ("epoch overflow", "\(Redis7.a) 127.0.0.1:1@2 master - 0 0 99999999999999999999 connected"),
        ("bad link state", "\(Redis7.a) 127.0.0.1:1@2 master - 0 0 1 maybe"),
    ])
    func badFields(label: String, line: String) throws {
        let failure = try #require(error(line), "\(label)")
        #expect(failure.lineNumber == 1)
    }

    @Test func controlBytesAreEscapedInTheMessage() throws {
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[31m 127.0.0.1:1@2 master - 0 0 1 connected\u{9B}"
        let failure = try #require(error(hostile))
        #expect(failure.line == hostile)
        let message = failure.description
        #expect(message.contains("\\x1B]0;pwned\\x07\\x1B[31m"))
        #expect(message.contains("\\x9B"))
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
    }

    @Test(arguments: ["", "\r\n", "  \n\n\t\r\n"])
    func emptyReplyThrows(text: String) throws {
        let failure = try #require(error(text))
        #expect(failure.lineNumber == nil)
        #expect(failure.description == "CLUSTER NODES: empty reply")
    }
}

@Suite struct WireParserClusterInfoTests {
    @Test func healthy() throws {
        for name in ["redis7-cluster-info", "valkey9-cluster-info"] {
            let report = ClusterInfoParser.parse(try fixture(name))
            #expect(report == ClusterInfoReport(
                state: "ok", slotsAssigned: 16384, slotsOK: 16384, slotsPFail: 0, slotsFail: 0,
                knownNodes: 6, size: 3, currentEpoch: 6, myEpoch: 1
            ), "\(name)")
        }
    }

    @Test func failedShard() throws {
        let report = ClusterInfoParser.parse(try fixture("redis7-cluster-info-fail"))
        #expect(report == ClusterInfoReport(
            state: "fail", slotsAssigned: 16384, slotsOK: 10923, slotsPFail: 0, slotsFail: 5461,
            knownNodes: 6, size: 3, currentEpoch: 7, myEpoch: 1
        ))
    }

    @Test func missingOrGarbledFieldsDefault() {
        #expect(ClusterInfoParser.parse("") == ClusterInfoReport(state: "unknown"))
        let report = ClusterInfoParser.parse("cluster_state:\r\ncluster_size:three\r\ncluster_known_nodes:4\r\nnonsense\r\n:\r\n")
        #expect(report == ClusterInfoReport(state: "unknown", knownNodes: 4))
    }
}

@Suite struct WireParserServerInfoTests {
    @Test func redisPrimary() throws {
        let info = ServerInfoParser.parse(try fixture("redis7-info-primary"))
        #expect(info.serverName == "redis")
        #expect(info.version == "7.0.15")
        #expect(info.role == .primary)
        #expect(info.uptimeSeconds == 19)
        #expect(info.opsPerSec == 1)
        #expect(info.totalCommands == 231)
        #expect(info.usedMemory == 2_017_048)
        #expect(info.maxMemory == 0)
        #expect(info.keys == 100)
        #expect(info.connectedClients == 1)
        #expect(info.cpuSystemSeconds == 0.107093)
        #expect(info.cpuUserSeconds == 0.057561)
        #expect(!info.loading)
        #expect(info.replicationOffset == 8124)
        #expect(info.replicas == [
            ReplicaAck(address: NodeAddress(host: "127.0.0.1", port: 39240), state: "online", offset: 8124, lagSeconds: 0),
        ])
        #expect(info.primaryAddress == nil)
        #expect(info.primaryLinkUp == nil)
        #expect(info.syncInProgress == nil)
    }

    @Test func redisReplica() throws {
        let info = ServerInfoParser.parse(try fixture("redis7-info-replica"))
        #expect(info.role == .replica)
        #expect(info.replicationOffset == 8124)
        #expect(info.replicas.isEmpty)
        #expect(info.primaryAddress == NodeAddress(host: "127.0.0.1", port: 39236))
        #expect(info.primaryLinkUp == true)
        #expect(info.primaryLastIOSecondsAgo == 6)
        #expect(info.primaryLinkDownSinceSeconds == nil)
        #expect(info.syncInProgress == false)
        #expect(info.syncPercent == nil)
        #expect(info.keys == 100)
        #expect(info.connectedClients == 2)
    }

    @Test func redisReplicaWithLinkDown() throws {
        let info = ServerInfoParser.parse(try fixture("redis7-info-replica-linkdown"))
        #expect(info.primaryAddress == NodeAddress(host: "127.0.0.1", port: 39239))
        #expect(info.primaryLinkUp == false)
        #expect(info.primaryLastIOSecondsAgo == nil)
        #expect(info.primaryLinkDownSinceSeconds == 2)
        #expect(info.replicationOffset == 8784)
        #expect(info.keys == 108)
    }

    @Test func redisReplicaInFullSync() throws {
        let info = ServerInfoParser.parse(try fixture("redis7-info-replica-syncing"))
        #expect(info.syncInProgress == true)
        #expect(info.syncPercent == 15.47)
        #expect(info.primaryLinkUp == false)
        #expect(info.primaryLinkDownSinceSeconds == nil)
        #expect(info.replicationOffset == 0)
        // Empty keyspace section: no dbN lines at all.
        #expect(info.keys == 0)
        #expect(!info.loading)
        #expect(info.cpuUserSeconds == 0)
    }

    @Test func redisReplicaLoadingTheSyncedData() throws {
        let info = ServerInfoParser.parse(try fixture("redis7-info-replica-loading"))
        #expect(info.loading)
        #expect(info.syncPercent == 100)
        #expect(info.keys == 69309)
        // slave_repl_offset wins over master_repl_offset (0 here) on a replica.
        #expect(info.replicationOffset == 1)
    }

    @Test func valkeyPrimary() throws {
        let info = ServerInfoParser.parse(try fixture("valkey9-info-primary"))
        #expect(info.serverName == "valkey")
        #expect(info.version == "9.1.2")
        #expect(info.role == .primary)
        #expect(info.uptimeSeconds == 19)
        #expect(info.totalCommands == 134)
        #expect(info.usedMemory == 2_918_256)
        #expect(info.keys == 100)
        #expect(info.cpuSystemSeconds == 0.056257)
        #expect(info.replicationOffset == 4092)
        #expect(info.replicas == [
            ReplicaAck(address: NodeAddress(host: "127.0.0.1", port: 38826), state: "online", offset: 4092, lagSeconds: 0),
        ])
    }

    @Test func valkeyReplica() throws {
        let info = ServerInfoParser.parse(try fixture("valkey9-info-replica"))
        #expect(info.serverName == "valkey")
        #expect(info.version == "9.1.2")
        #expect(info.role == .replica)
        #expect(info.primaryAddress == NodeAddress(host: "127.0.0.1", port: 38822))
        #expect(info.primaryLinkUp == true)
        #expect(info.primaryLastIOSecondsAgo == 8)
        #expect(info.syncInProgress == false)
        #expect(info.replicationOffset == 4092)
        #expect(info.opsPerSec == 0)
    }

    @Test func garbageNeverTraps() {
        let text = """
            # Server\r
            used_memory:lots\r
            role:banana\r
            used_cpu_sys:nan\r
            uptime_in_seconds:99999999999999999999999\r
            \u{0}\u{1B}:::\r
            slave0:ip=,port=6379,state=online,offset=1,lag=0\r
            slave1:ip=10.0.0.2,port=x,state=online,offset=1,lag=0\r
            slave2:ip=10.0.0.3,port=6380,offset=7,lag=1\r
            slave_read_only:1\r
            master_port:70000\r
            master_host:10.0.0.9\r
            master_sync_in_progress:2\r
            db0:keys=9223372036854775807,expires=0\r
            db1:keys=5\r
            db2:keys=oops\r
            dbx:keys=1000\r
            """
        let info = ServerInfoParser.parse(text)
        #expect(info.serverName == "redis")
        #expect(info.version == "")
        #expect(info.usedMemory == nil)
        #expect(info.role == nil)
        #expect(info.cpuSystemSeconds == nil)
        #expect(info.uptimeSeconds == nil)
        #expect(info.replicas == [
            ReplicaAck(address: NodeAddress(host: "10.0.0.3", port: 6380), state: "unknown", offset: 7, lagSeconds: 1),
        ])
        #expect(info.primaryAddress == nil)
        #expect(info.syncInProgress == nil)
        #expect(info.keys == Int64.max)
        #expect(ServerInfoParser.parse("") == ServerInfo())
    }
}
