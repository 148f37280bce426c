import Foundation
import NIOCore
import ShardtopCore

/// A poll on a connection that already told us its server section (`ServerIdentity`): the
/// dashboard's warm tick for nearly every node. The poller prepares one for each such node, writes
/// them all back to back, one hop per event loop, and each reply is read on the event loop as it
/// lands, while the other nodes are still answering; the poller resumes once, when the last is in
/// (`RedisConnection.writeAndRead`).
///
/// Written from each node's own task instead, the 30 writes of a 30-node tick were spread over
/// 0.8 ms while the first servers had already answered, and each reply waited for a pool thread
/// to resume its task (issue 12: the first node's result reached the poller 1.1 ms after its reply).
/// The outcome is the one `NodePoll.poll` gives for the same node: same commands, same rules.
struct SteadyPoll: Sendable {
    let client: NodeClient
    let prepared: NodeClient.PreparedRequest<Reading>
    /// CLUSTER INFO and INFO only (`NodePoll.lightCommands`), else CLUSTER NODES first.
    let light: Bool
    /// The node's server section, as read on this connection: it completes the INFO read here.
    let identity: ServerIdentity
    /// Whether RDB saves are configured, as the poller last read it (nil: not known).
    let saveConfigured: Bool?

    /// The replies, read: a reply that does not parse is a failed poll, not a failed connection.
    /// Indirect: a reading is handed from the loop to the collector to the poller, and each copy of
    /// a whole result inline was a memmove and a retain per field (issue 12).
    indirect enum Reading: Sendable {
        /// The poll's result, worked out on the event loop as the replies landed (its round trip
        /// is filled in by `result`, which knows when the request was written).
        case done(NodePoll.Result, arrived: ContinuousClock.Instant)
        /// The signature moved: CLUSTER NODES follows as a second trip (`finish`).
        case read(clusterInfo: ClusterInfoReport, info: ServerInfo, arrived: ContinuousClock.Instant)
        case unreadable(any Error)
    }

    /// The two requests, encoded once: the same bytes go to every node on every tick.
    private static let lightRequest = encoded(NodePoll.steadyLightCommands)
    private static let fullRequest = encoded(NodePoll.steady(NodePoll.commands))

    private static func encoded(_ commands: [[String]]) -> (bytes: ByteBuffer, count: Int) {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        for command in commands { RESPEncoder.encode(command: command, into: &buffer) }
        return (buffer, commands.count)
    }

    /// What a steady poll of one node sends, on which connection, and how its replies are read.
    struct Plan: Sendable {
        let light: Bool
        let identity: ServerIdentity
        /// The connection its server section was read on (`ServerIdentity.connection`).
        var connection: Int { identity.connection }
        let request: ByteBuffer
        let replyCount: Int
        let saveConfigured: Bool?
        let reading: @Sendable ([RESPValue]) -> Reading
    }

    /// The plan for a steady poll of this node, or nil when it must be polled the ordinary way: no
    /// server section read yet, or CONFIG GET save due. Synchronous, so that a node polled the
    /// ordinary way (every node of a cold snapshot) costs the poller no hop; `NodeClient.prepare`
    /// then says whether the connection is still the one the plan is for.
    /// `saveConfigured`: whether RDB saves are configured, as the poller last read it (nil: not known).
    static func plan(address: NodeAddress, askSaveRules: Bool, last: ParsedTopology?, topology ask: TopologyAsk, identity: ServerIdentity?,
                     saveConfigured: Bool? = nil) -> Plan? {
        guard !askSaveRules, let identity else { return nil }
        let light: Bool
        if case .ifChanged = ask, last != nil { light = true } else { light = false }
        let request = light ? lightRequest : fullRequest
        return Plan(light: light, identity: identity, request: request.bytes, replyCount: request.count, saveConfigured: saveConfigured) { replies in
            Self.read(replies, light: light, address: address, last: last, ask: ask, identity: identity, saveConfigured: saveConfigured)
        }
    }

    /// On the event loop: parsing, and the node's whole result, here overlap with the other
    /// nodes' answers instead of following the last of them (issue 12). The connection is the
    /// one `identity` was read on: `NodeClient.prepare` refuses any other.
    private static func read(_ replies: [RESPValue], light: Bool, address: NodeAddress, last: ParsedTopology?,
                             ask: TopologyAsk, identity: ServerIdentity, saveConfigured: Bool?) -> Reading {
        do {
            let clusterInfo: ClusterInfoReport
            let rawInfo: ServerInfo
            let readTopology: ParsedTopology?
            if light {
                guard replies.count == 2 else { throw RedisClientError.unexpectedReply("expected 2 replies, got \(replies.count)") }
                clusterInfo = ClusterInfoParser.parse(bytes: try NodePoll.bytes(replies[0], command: "CLUSTER INFO"))
                rawInfo = ServerInfoParser.parse(bytes: try NodePoll.bytes(replies[1], command: "INFO"))
                readTopology = nil
            } else {
                let parsed = try NodePoll.parse(replies, last: last)
                guard case .answered(_, let parsedClusterInfo, let parsedInfo) = parsed.outcome else { throw RedisClientError.unexpectedReply("no answer") }
                clusterInfo = parsedClusterInfo
                rawInfo = parsedInfo
                readTopology = parsed.topology
            }
            let arrived = ContinuousClock.now
            let now = Date().timeIntervalSince1970
            let info = identity.completing(rawInfo, now: now)
            let signature = TopologySignature(clusterInfo: clusterInfo, info: info)
            let topology: ParsedTopology
            let asked: TopologyAsked
            if let readTopology {
                topology = readTopology
                asked = .inPoll
            } else if case .ifChanged(let since, let sinceConnection) = ask, let last, signature == since, identity.connection == sinceConnection {
                topology = last
                asked = .skipped
            } else {
                return .read(clusterInfo: clusterInfo, info: rawInfo, arrived: arrived)
            }
            let report = NodeReport(address: address, time: now, roundTripSeconds: nil,
                                    outcome: NodePoll.withSaveRules(.answered(topology: topology.entries, clusterInfo: clusterInfo, info: info), saveConfigured),
                                    topologyToken: topology.token)
            return .done(NodePoll.Result(report: report, saveRules: nil, topology: topology, signature: signature, asked: asked,
                                         connection: identity.connection, identity: identity, askedServerSection: false),
                         arrived: arrived)
        } catch {
            return .unreadable(error)
        }
    }

    /// The poll's result as worked out on the loop, with its round trip, or nil when the node's
    /// signature moved and CLUSTER NODES must follow as a second trip (`finish`).
    static func result(_ outcome: Result<Reading, any Error>, writtenAt: ContinuousClock.Instant) -> NodePoll.Result? {
        guard case .success(.done(var result, let arrived)) = outcome else { return nil }
        result.report.roundTripSeconds = NodePoll.seconds(arrived - writtenAt)
        return result
    }

    /// What `result` left: a failed request or unreadable reply, or a moved signature, whose
    /// CLUSTER NODES follows as a second round trip to this node alone (as `NodePoll.poll` does).
    func finish(_ outcome: Result<Reading, any Error>, last: ParsedTopology?, writtenAt: ContinuousClock.Instant) async -> NodePoll.Result {
        let now = Date().timeIntervalSince1970
        switch outcome {
        case .failure(let error):
            await client.failed(prepared, error: error)
            return await NodePoll.failed(client, error)
        case .success(.unreadable(let error)):
            return await NodePoll.failed(client, error)
        case .success(.done(let result, _)):
            // `result` finishes these; kept whole should a caller come here first.
            return result
        case .success(.read(let clusterInfo, let rawInfo, let arrived)):
            let info = identity.completing(rawInfo, now: now)
            do {
                let nodes = try await client.send([NodePoll.commands[0]])
                guard nodes.count == 1 else { throw RedisClientError.unexpectedReply("expected 1 reply, got \(nodes.count)") }
                let topology = try ParsedTopology.read(bytes: try NodePoll.bytes(nodes[0], command: "CLUSTER NODES"), reusing: last)
                let report = NodeReport(address: client.address, time: now, roundTripSeconds: NodePoll.seconds(arrived - writtenAt),
                                        outcome: NodePoll.withSaveRules(.answered(topology: topology.entries, clusterInfo: clusterInfo, info: info), saveConfigured),
                                        topologyToken: topology.token)
                return NodePoll.Result(report: report, saveRules: nil, topology: topology, signature: TopologySignature(clusterInfo: clusterInfo, info: info),
                                       asked: .secondTrip, connection: await client.connectionsOpened, identity: identity, askedServerSection: false)
            } catch {
                return await NodePoll.failed(client, error)
            }
        }
    }
}
