import ArgumentParser
import Foundation
import ShardtopApp
import ShardtopCore
import ShardtopRedis

/// `shardtop-bench cluster-nodes`: what asking every node for CLUSTER NODES costs per poll tick as
/// the cluster grows. Every node's reply names every node, so a tick reads n replies of n lines.
///
/// In process, on replies shaped like redis 7.0's (half primaries with slot ranges, half replicas,
/// ping/pong times that differ from reply to reply, as they do on a live cluster, so no reply is
/// byte-identical to the last one and none can be skipped): the bytes a tick moves, the parse of
/// one reply, n of them (one tick), and the assembly of n views into a snapshot. With `--seed`,
/// also the round trip of CLUSTER NODES against CLUSTER INFO on a real node of any size.
struct BenchClusterNodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster-nodes",
        abstract: "What CLUSTER NODES costs per poll tick at 100, 250, 500 nodes (parse, assembly, bytes).",
        discussion: """
        Examples:
          .build/release/shardtop-bench cluster-nodes
          shardtop-bench cluster-nodes --nodes 100,250,500,1000 --repetitions 9
          shardtop-bench cluster-nodes --nodes 500 --seed 127.0.0.1:30001
        """
    )

    @Option(help: "Cluster sizes to measure, comma-separated.")
    var nodes = "100,250,500"

    @Option(help: "Measured repetitions of each tick-sized measurement (the median is printed).")
    var repetitions = 5

    @Option(help: ArgumentHelp("A real node: also time CLUSTER NODES and CLUSTER INFO round trips on it.", valueName: "host:port"))
    var seed: String?

    func validate() throws {
        try NumericOption.check(repetitions, "--repetitions", 1...1000)
        guard !sizes.isEmpty, sizes.allSatisfy({ (2...20_000).contains($0) }) else {
            throw fail("--nodes must be a comma-separated list of sizes between 2 and 20000")
        }
        if let seed, NodeAddress(seed) == nil { throw fail("--seed must be host:port") }
    }

    private var sizes: [Int] { nodes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        print("shardtop-bench cluster-nodes: median of \(repetitions) repetitions; one tick = one reply from each of n nodes")
        let k = ClusterPoller.periodicTopologyTicks
        print("rule: the dashboard's poller asks a node CLUSTER NODES every \(k) ticks (staggered) unless its CLUSTER INFO / role moved,")
        print("      so a quiet tick parses ceil(n/\(k)) replies; 'rule tick' = that parse + the assembly")
        print("nodes  reply KB  tick MB   parse 1 reply ms  parse tick ms  assemble tick ms  parse+assemble ms  rule parse ms  rule tick ms")
        for size in sizes {
            let row = try measure(size: size, every: k)
            print(String(format: "%5d  %8.1f  %7.2f  %17.3f  %13.1f  %16.1f  %17.1f  %13.1f  %12.1f",
                         size, Double(row.replyBytes) / 1024, Double(row.replyBytes * size) / 1_048_576,
                         row.parseOneMillis, row.parseTickMillis, row.assembleMillis, row.parseTickMillis + row.assembleMillis,
                         row.ruleParseMillis, row.ruleParseMillis + row.assembleMillis))
        }
        if let seed, let address = NodeAddress(seed) {
            try await measureWire(address)
        }
    }

    struct Row {
        var replyBytes: Int
        var parseOneMillis: Double
        var parseTickMillis: Double
        var assembleMillis: Double
        /// Parsing the ceil(n/k) replies that a quiet tick asks for under the dashboard's rule.
        var ruleParseMillis: Double
    }

    private func measure(size: Int, every k: Int) throws -> Row {
        // n replies, each from its own node's point of view (its own line says myself), with
        // per-reply ping/pong times: on a live cluster the text changes every tick.
        let replies = (0..<size).map { Self.reply(size: size, viewer: $0, tick: 1) }
        var parseOne: [Double] = []
        var parseTick: [Double] = []
        var ruleParse: [Double] = []
        let due = (size + k - 1) / k
        var assemble: [Double] = []
        var parsed: [[TopologyEntry]] = []
        for _ in 0..<repetitions {
            let started = ContinuousClock.now
            _ = try ClusterNodesParser.parse(replies[0])
            parseOne.append((ContinuousClock.now - started).millis)

            let tickStarted = ContinuousClock.now
            parsed = try replies.map { try ClusterNodesParser.parse($0) }
            parseTick.append((ContinuousClock.now - tickStarted).millis)

            let ruleStarted = ContinuousClock.now
            for reply in replies.prefix(due) { _ = try ClusterNodesParser.parse(reply) }
            ruleParse.append((ContinuousClock.now - ruleStarted).millis)

            let reports = parsed.enumerated().map { viewer, topology in
                NodeReport(address: Self.address(viewer), time: 1, roundTripSeconds: 0.001,
                           outcome: .answered(topology: topology, clusterInfo: ClusterInfoReport(state: "ok", currentEpoch: Int64(size)),
                                              info: ServerInfo(version: "7.0.15")))
            }
            let assembleStarted = ContinuousClock.now
            let snapshot = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 1)
            assemble.append((ContinuousClock.now - assembleStarted).millis)
            guard snapshot.nodes.count == size else { throw BenchFailure("assembled \(snapshot.nodes.count) of \(size) nodes") }
        }
        return Row(replyBytes: replies[0].utf8.count, parseOneMillis: Self.median(parseOne),
                   parseTickMillis: Self.median(parseTick), assembleMillis: Self.median(assemble),
                   ruleParseMillis: Self.median(ruleParse))
    }

    /// Round trips on one real node: CLUSTER NODES alone, CLUSTER INFO alone, median of the repetitions.
    private func measureWire(_ address: NodeAddress) async throws {
        let connection: RedisConnection
        do { connection = try await RedisConnection.connect(to: address, options: ConnectionOptions(requestTimeout: .seconds(10))) } catch {
            throw fail("cannot reach \(address): \(error)")
        }
        defer { connection.close() }
        var nodesTimes: [Double] = []
        var infoTimes: [Double] = []
        var lines = 0
        var bytes = 0
        for _ in 0..<max(repetitions, 5) {
            var started = ContinuousClock.now
            let reply = try await connection.send([["CLUSTER", "NODES"]])
            nodesTimes.append((ContinuousClock.now - started).millis)
            if let text = reply.first?.string {
                bytes = text.utf8.count
                lines = text.split(separator: "\n").count
            }
            started = ContinuousClock.now
            _ = try await connection.send([["CLUSTER", "INFO"]])
            infoTimes.append((ContinuousClock.now - started).millis)
        }
        print(String(format: "real node %@: CLUSTER NODES %d lines, %.1f KB, round trip %.3f ms; CLUSTER INFO round trip %.3f ms; x%d nodes per tick: %.1f ms vs %.1f ms",
                     address.description, lines, Double(bytes) / 1024, Self.median(nodesTimes), Self.median(infoTimes), lines,
                     Self.median(nodesTimes) * Double(lines), Self.median(infoTimes) * Double(lines)))
    }

    static func address(_ index: Int) -> NodeAddress {
        NodeAddress(host: "127.0.\(index / 250).\(1 + index % 250)", port: 30001 + index % 1000)
    }

    static func nodeID(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        // "f", zeros, then the index in hex: 40 hex digits, distinct for every index.
        return "f" + String(repeating: "0", count: 39 - hex.count) + hex
    }

    /// One node's CLUSTER NODES in a cluster of `size` nodes: nodes 0..<size/2 are primaries
    /// with contiguous slot ranges, each other node replicates one of them.
    static func reply(size: Int, viewer: Int, tick: Int) -> String {
        let primaries = max(1, size / 2)
        let perPrimary = 16384 / primaries
        var text = ""
        text.reserveCapacity(size * 120)
        let clock: Int64 = 1_764_800_000_000 + Int64(tick) * 1000
        for node in 0..<size {
            let address = address(node)
            let flags = (node == viewer ? "myself," : "") + (node < primaries ? "master" : "slave")
            let primary = node < primaries ? "-" : nodeID(node - primaries)
            let pong = node == viewer ? 0 : clock - Int64((node * 37 + viewer * 11) % 1000)
            let epoch = node < primaries ? node + 1 : node - primaries + 1
            text += "\(nodeID(node)) \(address.host):\(address.port)@\(address.port + 10000) \(flags) \(primary) 0 \(pong) \(epoch) connected"
            if node < primaries {
                let low = node * perPrimary
                let high = node == primaries - 1 ? 16383 : low + perPrimary - 1
                text += " \(low)-\(high)"
            }
            text += "\n"
        }
        return text
    }

    static func median(_ values: [Double]) -> Double { BenchSummary(millis: values).medianMillis }
}
