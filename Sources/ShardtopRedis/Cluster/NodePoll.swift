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

    /// A poll that leaves CLUSTER NODES out (see `TopologyRefresh`): what every node sends each tick.
    public static let lightCommands: [[String]] = Array(commands.dropFirst())

    /// INFO on a connection whose server section was read already (see `ServerIdentity`).
    static let steadyInfo = ["INFO"] + infoSections.filter { $0 != "server" }

    /// What a node on a steady connection is sent each tick under the dashboard's rule.
    public static let steadyLightCommands = steady(lightCommands)

    /// `batch` (one of the lists above) with INFO's server section left out.
    static func steady(_ batch: [[String]]) -> [[String]] {
        batch.map { $0.first == "INFO" ? steadyInfo : $0 }
    }

    /// Sent after the poll's three commands when the caller wants the save rules (see `SaveRulesAnswer`).
    public static let saveRulesCommand = ["CONFIG", "GET", "save"]

    /// What one poll gave, with what the poller keeps for the next (see `TopologyRefresh`).
    struct Result: Sendable {
        var report: NodeReport
        var saveRules: SaveRulesAnswer?
        /// nil when the poll failed.
        var topology: ParsedTopology?
        var signature: TopologySignature?
        var asked: TopologyAsked
        /// The client's connection count after the poll (`NodeClient.connectionsOpened`).
        var connection: Int
        /// What to pass as `identity` next time (nil when the poll failed).
        var identity: ServerIdentity?
        /// True when this poll's INFO carried the server section.
        var askedServerSection: Bool
    }

    /// One poll. With `askSaveRules`, CONFIG GET save rides in the same pipeline and its answer comes
    /// back beside the report (nil when not asked or the poll failed). `last` is what this node's
    /// last CLUSTER NODES was read into: a reply with the same text is not parsed again (with 5,000
    /// lines that was most of a tick); the result carries what to pass next time.
    ///
    /// Under the poller's topology rule: with `.ifChanged`, the pipeline carries only
    /// CLUSTER INFO and INFO; CLUSTER NODES follows as a second round trip to this node alone when
    /// their signature moved or the connection is new, else the node's last reading stands in.
    ///
    /// `identity` is this node's server section as last read: given, a poll on the same connection
    /// leaves the section out of INFO and fills the report from it; a new connection is asked it.
    ///
    /// `saveConfigured` is whether RDB saves are configured as last read (nil: not known); the
    /// report says so, or what this poll's own CONFIG GET save said (INFO never tells).
    static func poll(_ client: NodeClient, timeout: TimeAmount? = nil, askSaveRules: Bool,
                     last: ParsedTopology?, topology ask: TopologyAsk, identity: ServerIdentity? = nil,
                     saveConfigured: Bool? = nil) async -> Result {
        let started = ContinuousClock.now
        var asked = TopologyAsked.inPoll
        do {
            let outcome: NodeReport.Outcome
            let topology: ParsedTopology
            let signature: TopologySignature
            let replies: [RESPValue]
            let elapsed: Duration
            let askedServerSection: Bool
            // The connection the INFO went on: a second trip below may be on a newer one.
            let identityConnection: Int
            // The batch for a connection not yet asked the server section, and the one for the
            // connection `identity` was read on (`NodeClient.send(steady:fresh:steadyOn:)` picks).
            func batches(_ batch: [[String]]) -> (fresh: [[String]], steady: [[String]]) {
                let fresh = askSaveRules ? batch + [saveRulesCommand] : batch
                return (fresh, steady(fresh))
            }
            if case .ifChanged(let since, let sinceConnection) = ask, let last {
                let batch = batches(lightCommands)
                let sent = try await client.send(steady: batch.steady, fresh: batch.fresh, steadyOn: identity?.connection, timeout: timeout)
                replies = sent.replies
                askedServerSection = sent.fresh
                identityConnection = sent.connection
                elapsed = ContinuousClock.now - started
                guard replies.count >= 2 else { throw RedisClientError.unexpectedReply("expected 2 replies, got \(replies.count)") }
                let clusterInfo = ClusterInfoParser.parse(bytes: try bytes(replies[0], command: "CLUSTER INFO"))
                let info = Self.completed(ServerInfoParser.parse(bytes: try bytes(replies[1], command: "INFO")),
                                          askedServerSection: askedServerSection, identity: identity)
                signature = TopologySignature(clusterInfo: clusterInfo, info: info)
                if signature == since, await client.connectionsOpened == sinceConnection {
                    topology = last
                    asked = .skipped
                } else {
                    let nodes = try await client.send([commands[0]], timeout: timeout)
                    guard nodes.count == 1 else { throw RedisClientError.unexpectedReply("expected 1 reply, got \(nodes.count)") }
                    topology = try ParsedTopology.read(bytes: try bytes(nodes[0], command: "CLUSTER NODES"), reusing: last)
                    asked = .secondTrip
                }
                outcome = .answered(topology: topology.entries, clusterInfo: clusterInfo, info: info)
            } else {
                let batch = batches(commands)
                let sent = try await client.send(steady: batch.steady, fresh: batch.fresh, steadyOn: identity?.connection, timeout: timeout)
                replies = sent.replies
                askedServerSection = sent.fresh
                identityConnection = sent.connection
                elapsed = ContinuousClock.now - started
                let parsed = try parse(Array(replies.prefix(3)), last: last)
                topology = parsed.topology
                guard case .answered(let entries, let clusterInfo, let parsedInfo) = parsed.outcome else { throw RedisClientError.unexpectedReply("no answer") }
                let info = Self.completed(parsedInfo, askedServerSection: askedServerSection, identity: identity)
                outcome = .answered(topology: entries, clusterInfo: clusterInfo, info: info)
                signature = TopologySignature(clusterInfo: clusterInfo, info: info)
            }
            let expected = asked == .inPoll ? commands.count : lightCommands.count
            var saveRules: SaveRulesAnswer?
            if askSaveRules, replies.count == expected + 1 { saveRules = SaveRulesAnswer.from(replies[expected]) }
            let now = Date().timeIntervalSince1970
            let report = NodeReport(address: client.address, time: now, roundTripSeconds: seconds(elapsed),
                                    outcome: withSaveRules(outcome, saveRules.map(\.configured) ?? saveConfigured), topologyToken: topology.token)
            let connection = await client.connectionsOpened
            var newIdentity = identity
            if askedServerSection, case .answered(_, _, let info) = outcome {
                newIdentity = ServerIdentity(info, readAt: now, connection: identityConnection)
            }
            return Result(report: report, saveRules: saveRules, topology: topology, signature: signature, asked: asked,
                          connection: connection, identity: newIdentity, askedServerSection: askedServerSection)
        } catch {
            return await failed(client, error, asked: asked)
        }
    }

    /// A poll that failed with `error`: the node's report says why, and nothing is kept for next time.
    static func failed(_ client: NodeClient, _ error: any Error, asked: TopologyAsked = .inPoll) async -> Result {
        Result(report: NodeReport(address: client.address, time: Date().timeIntervalSince1970, outcome: .failed(reason: String(describing: error))),
               saveRules: nil, topology: nil, signature: nil, asked: asked, connection: await client.connectionsOpened,
               identity: nil, askedServerSection: false)
    }

    /// `outcome` saying whether RDB saves are configured, when that is known.
    static func withSaveRules(_ outcome: NodeReport.Outcome, _ configured: Bool?) -> NodeReport.Outcome {
        guard let configured, case .answered(let topology, let clusterInfo, var info) = outcome else { return outcome }
        info.persistence.rdbSaveConfigured = configured
        return .answered(topology: topology, clusterInfo: clusterInfo, info: info)
    }

    /// A round trip as the report carries it.
    static func seconds(_ elapsed: Duration) -> Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `info` as the report carries it: as read when its INFO had the server section, else with
    /// that section's fields from `identity`.
    private static func completed(_ info: ServerInfo, askedServerSection: Bool, identity: ServerIdentity?) -> ServerInfo {
        guard !askedServerSection, let identity else { return info }
        return identity.completing(info, now: Date().timeIntervalSince1970)
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
    static func bytes(_ reply: RESPValue, command: String) throws -> [UInt8] {
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
