import Foundation
import NIOCore
import ShardtopCore

/// One poll of one node: a single pipelined round trip, parsed at the edge into typed values.
public enum NodePoll {
    /// INFO sections shardtop reads (persistence carries `loading:`). Multi-section INFO exists since Redis 7.0; one request keeps it one round trip.
    public static let infoSections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "keyspace"]

    public static let commands: [[String]] = [
        ["CLUSTER", "NODES"],
        ["CLUSTER", "INFO"],
        ["INFO"] + infoSections,
    ]

    /// Sent after the poll's three commands when the caller wants the save rules (see `SaveRulesAnswer`).
    public static let saveRulesCommand = ["CONFIG", "GET", "save"]

    public static func poll(_ client: NodeClient, timeout: TimeAmount? = nil) async -> NodeReport {
        await poll(client, timeout: timeout, askSaveRules: false, last: nil).report
    }

    /// One poll. With `askSaveRules`, CONFIG GET save rides in the same pipeline and its answer comes
    /// back beside the report (nil when not asked or the poll failed). `last` is what this node's
    /// last CLUSTER NODES was read into: a reply with the same text is not parsed again (with 5,000
    /// lines that was most of a tick). Returns what to pass next time.
    static func poll(_ client: NodeClient, timeout: TimeAmount? = nil, askSaveRules: Bool,
                            last: ParsedTopology?) async -> (report: NodeReport, saveRules: SaveRulesAnswer?, topology: ParsedTopology?) {
        let started = ContinuousClock.now
        do {
            let replies = try await client.send(askSaveRules ? commands + [saveRulesCommand] : commands, timeout: timeout)
            let elapsed = ContinuousClock.now - started
            let (outcome, topology) = try parse(Array(replies.prefix(3)), last: last)
            var saveRules: SaveRulesAnswer?
            if askSaveRules, replies.count == 4 { saveRules = SaveRulesAnswer.from(replies[3]) }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let report = NodeReport(address: client.address, time: Date().timeIntervalSince1970, roundTripSeconds: seconds,
                                    outcome: outcome, topologyToken: topology.token)
            return (report, saveRules, topology)
        } catch {
            return (NodeReport(address: client.address, time: Date().timeIntervalSince1970, outcome: .failed(reason: String(describing: error))), nil, nil)
        }
    }

    static func parse(_ replies: [RESPValue]) throws -> NodeReport.Outcome {
        try parse(replies, last: nil).outcome
    }

    static func parse(_ replies: [RESPValue], last: ParsedTopology?) throws -> (outcome: NodeReport.Outcome, topology: ParsedTopology) {
        guard replies.count == 3 else { throw RedisClientError.unexpectedReply("expected 3 replies, got \(replies.count)") }
        let nodes = try bytes(replies[0], command: "CLUSTER NODES")
        let clusterInfo = try bytes(replies[1], command: "CLUSTER INFO")
        let serverInfo = try bytes(replies[2], command: "INFO")
        let parsed = try ParsedTopology.read(bytes: nodes, reusing: last)
        return (.answered(
            topology: parsed.entries,
            clusterInfo: ClusterInfoParser.parse(bytes: clusterInfo),
            info: ServerInfoParser.parse(bytes: serverInfo)
        ), parsed)
    }

    /// The reply's bytes for the parsers, which read bytes: a bulk string is not copied into a String first.
    private static func bytes(_ reply: RESPValue, command: String) throws -> [UInt8] {
        if case .bulkString(let bytes) = reply { return bytes }
        return Array(try text(reply, command: command).utf8)
    }

    private static func text(_ reply: RESPValue, command: String) throws -> String {
        if let error = reply.errorMessage {
            if error.contains("cluster support disabled") {
                throw RedisClientError.unexpectedReply("not a cluster node (cluster support disabled)")
            }
            throw RedisClientError.unexpectedReply("\(command): \(sanitizedForDisplay(error))")
        }
        guard let text = reply.string else {
            throw RedisClientError.unexpectedReply("\(command) did not return text")
        }
        return text
    }
}
