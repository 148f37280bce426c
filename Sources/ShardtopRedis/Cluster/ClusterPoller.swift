import Foundation
import NIOCore
import NIOPosix
import ShardtopCore

/// Discovers a cluster from seeds and polls every node, one connection per node.
///
/// Each tick polls all known nodes concurrently; each request carries its own deadline, so a hung
/// node costs at most that deadline and never holds back the others' replies. Nodes are learned
/// from every answering node's CLUSTER NODES, and forgotten when no node mentions them any more.
public actor ClusterPoller {
    public let seeds: [NodeAddress]
    private let options: ConnectionOptions
    private let group: any EventLoopGroup
    private var clients: [NodeAddress: NodeClient] = [:]
    /// Each node's `save` rules and when they were read (see `SaveRulesAnswer`).
    private var saveRules: [NodeAddress: (answer: SaveRulesAnswer, time: Double)] = [:]
    public private(set) var latest: ClusterSnapshot?
    public var lagThresholds: LagThresholds

    public init(
        seeds: [NodeAddress], options: ConnectionOptions, lagThresholds: LagThresholds = .default,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.seeds = seeds
        self.options = options
        self.lagThresholds = lagThresholds
        self.group = group
    }

    /// Polls every known node once and returns the new snapshot with what changed since the last one.
    /// The first call also discovers: it asks the seeds, then every node they name, in the same call.
    public func tick() async -> (snapshot: ClusterSnapshot, events: [ClusterEvent]) {
        var targets = Set(knownAddresses())
        if targets.isEmpty { targets = Set(seeds) }
        var reports = await pollAll(targets)

        // Discovery: nodes named by someone but not yet polled get polled now, so the snapshot is whole.
        let named = Set(Self.addressesNamed(in: reports))
        let newcomers = named.subtracting(targets)
        if !newcomers.isEmpty { reports += await pollAll(newcomers) }
        // Seeds that are no cluster member are kept, so a wrong seed shows as an error rather than vanishing.
        let strays = Set(seeds).subtracting(targets).subtracting(named)
        if !strays.isEmpty { reports += await pollAll(strays) }

        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: latest, now: Date().timeIntervalSince1970)
        let events = latest.map { SnapshotDiff.events(from: $0, to: snapshot, lag: lagThresholds) } ?? []
        latest = snapshot
        forgetDeparted(keeping: Set(snapshot.nodes.map(\.address)).union(seeds))
        return (snapshot, events)
    }

    /// The client for a node, shared with action code so actions reuse the poller's connections.
    public func client(for address: NodeAddress) -> NodeClient {
        if let client = clients[address] { return client }
        let client = NodeClient(address: address, options: options, group: group)
        clients[address] = client
        return client
    }

    public func shutdown() async {
        for client in clients.values { await client.close() }
        clients.removeAll()
    }

    private func knownAddresses() -> [NodeAddress] {
        latest?.nodes.filter { !$0.isUnknownSeed }.map(\.address) ?? []
    }

    private func pollAll(_ addresses: Set<NodeAddress>) async -> [NodeReport] {
        let now = Date().timeIntervalSince1970
        let targets = addresses.sorted().map { address in
            (client: client(for: address), askSaveRules: shouldAskSaveRules(address, now: now))
        }
        let results = await withTaskGroup(of: (NodeReport, SaveRulesAnswer?).self, returning: [(NodeReport, SaveRulesAnswer?)].self) { group in
            for target in targets {
                group.addTask { await NodePoll.poll(target.client, askSaveRules: target.askSaveRules) }
            }
            var results: [(NodeReport, SaveRulesAnswer?)] = []
            for await result in group { results.append(result) }
            return results
        }
        return results.map { report, answer in
            if let answer { saveRules[report.address] = (answer, report.time) }
            return withSaveRules(report)
        }
    }

    /// Asked on a node's first poll and every `refreshSeconds` after; a refusal is not asked again
    /// until the node's connection is replaced (each refusal is one entry in the node's ACL LOG).
    private func shouldAskSaveRules(_ address: NodeAddress, now: Double) -> Bool {
        guard let known = saveRules[address] else { return true }
        if known.answer == .refused { return false }
        return now - known.time >= SaveRulesAnswer.refreshSeconds
    }

    private func withSaveRules(_ report: NodeReport) -> NodeReport {
        guard case .answered(let topology, let clusterInfo, var info) = report.outcome,
              let configured = saveRules[report.address]?.answer.configured else { return report }
        info.persistence.rdbSaveConfigured = configured
        var patched = report
        patched.outcome = .answered(topology: topology, clusterInfo: clusterInfo, info: info)
        return patched
    }

    private func forgetDeparted(keeping: Set<NodeAddress>) {
        for (address, client) in clients where !keeping.contains(address) {
            clients[address] = nil
            saveRules[address] = nil
            Task { await client.close() }
        }
    }

    static func addressesNamed(in reports: [NodeReport]) -> [NodeAddress] {
        var result: [NodeAddress] = []
        for report in reports {
            guard case .answered(let topology, _, _) = report.outcome else { continue }
            for entry in topology {
                // Our own line may show an address the node cannot know (e.g. 127.0.0.1 when we dialled
                // a name); the address we dialled is the one that works from here.
                if entry.flags.contains(.myself) { continue }
                if let address = entry.address, !entry.flags.contains(.noaddr), !entry.flags.contains(.handshake) {
                    result.append(address)
                }
            }
        }
        return result
    }
}
