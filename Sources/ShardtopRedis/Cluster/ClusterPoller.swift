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
    /// What is kept for each node from tick to tick (see `KeptState`).
    private var kept: [NodeAddress: KeptState] = [:]
    public private(set) var latest: ClusterSnapshot?
    public var lagThresholds: LagThresholds
    /// The last assembly's reading of the views: reused while no reply changes.
    private let memo = TopologyMemo()
    private var parses = 0
    private var parsesSkipped = 0
    /// When each node is asked CLUSTER NODES (see `TopologyRefresh`); every tick unless set.
    private var refresh: TopologyRefresh
    private var topologyAsks = Work.TopologyAsks()
    private var serverSectionAsks = 0
    /// Who the views name, and which nodes no view lists: both follow from the views alone, so a
    /// quiet tick, whose views are last tick's, reuses them (see `ViewsMemo`).
    private var namedMemo = ViewsMemo<Set<NodeAddress>>()
    private var departedMemo = ViewsMemo<Set<NodeAddress>>()
    private var steadyPolls = 0

    /// What the ticks so far cost: how many CLUSTER NODES replies were parsed or found unchanged,
    /// and how many assemblies read every view or reused the last reading. Tests hold a tick whose
    /// replies did not change to zero parses and zero view readings.
    public struct Work: Sendable, Equatable {
        public var topologyParses: Int
        public var topologyParsesSkipped: Int
        public var viewReadings: Int
        public var viewReadingsSkipped: Int
        /// How often CLUSTER NODES was sent, over all ticks: a quiet tick under
        /// `topologyEveryTicks` > 1 adds only to `skipped` for the nodes not due.
        public var topologyAsks = TopologyAsks()
        /// Polls whose INFO carried the server section: once per connection (see `ServerIdentity`).
        public var serverSectionAsks = 0
        /// Polls written together with the other nodes' and read on the event loop (`SteadyPoll`).
        public var steadyPolls = 0

        public struct TopologyAsks: Sendable, Equatable {
            /// In a poll's one pipeline (first poll, new connection, node due, or every tick).
            public var inPoll = 0
            /// As a second round trip, because the node's CLUSTER INFO / INFO signature moved.
            public var secondTrip = 0
            /// Not sent: the node's last reading stood in.
            public var skipped = 0
            public var sent: Int { inPoll + secondTrip }
        }
    }

    public var work: Work {
        Work(topologyParses: parses, topologyParsesSkipped: parsesSkipped, viewReadings: memo.builds, viewReadingsSkipped: memo.reuses,
             topologyAsks: topologyAsks, serverSectionAsks: serverSectionAsks, steadyPolls: steadyPolls)
    }

    /// Ask each node CLUSTER NODES at least every this many ticks when nothing says its view moved
    /// (1, the default: every tick). The dashboard and `watch` use `periodicTopologyTicks`.
    /// k for pollers that tick on a timer. 5: at 500 nodes every node's CLUSTER NODES each tick
    /// was 622 ms of parsing (a 1 s refresh spent most of a core on it); a fifth of that fits, while
    /// what no counter shows (an open slot, a replica's PFAIL in others' views) is at most 4 ticks
    /// old, well inside the cluster's own failure detection (node timeout, 15 s by default).
    public static let periodicTopologyTicks = 5

    public var topologyEveryTicks: Int {
        get { refresh.everyTicks }
        set { refresh.everyTicks = max(1, newValue) }
    }

    public init(
        seeds: [NodeAddress], options: ConnectionOptions, lagThresholds: LagThresholds = .default,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, topologyEveryTicks: Int = 1
    ) {
        self.seeds = seeds
        self.options = options
        self.lagThresholds = lagThresholds
        self.group = group
        self.refresh = TopologyRefresh(everyTicks: topologyEveryTicks)
    }

    /// Polls every known node once and returns the new snapshot with what changed since the last one.
    /// The first call also discovers: it asks the seeds, then every node they name, in the same call.
    public func tick() async -> (snapshot: ClusterSnapshot, events: [ClusterEvent]) {
        await tick(fullTopology: false)
    }

    /// One tick; with `fullTopology`, every node is asked CLUSTER NODES whatever `topologyEveryTicks`
    /// says (commands that judge the cluster use this: `settled`).
    public func tick(fullTopology: Bool) async -> (snapshot: ClusterSnapshot, events: [ClusterEvent]) {
        refresh.startTick()
        let known = knownAddresses()
        let targets = roster(for: known.isEmpty ? seeds : known)
        var reports = await pollAll(targets, fullTopology: fullTopology)

        // Discovery: nodes named by someone but not yet polled get polled now, so the snapshot is whole.
        let named = namedMemo.value(for: reports) { Set(Self.addressesNamed(in: $0)) }
        let newcomers = named.subtracting(targets.set)
        if !newcomers.isEmpty { reports += await pollAll(Roster(Array(newcomers), clients: client(for:), states: keptState), fullTopology: fullTopology) }
        // Seeds that are no cluster member are kept, so a wrong seed shows as an error rather than vanishing.
        let strays = Set(seeds).subtracting(targets.set).subtracting(named)
        if !strays.isEmpty { reports += await pollAll(Roster(Array(strays), clients: client(for:), states: keptState), fullTopology: fullTopology) }

        // A node that left (forgotten everywhere and reset) still answers, but nobody lists it.
        let departed = departedMemo.value(for: reports) { reports in
            let kept = Set(DepartedReports.withoutDeparted(reports, seeds: Set(seeds)).map(\.address))
            return Set(reports.map(\.address)).subtracting(kept)
        }
        if !departed.isEmpty { reports.removeAll { departed.contains($0.address) } }
        // In address order, not in order of arrival: the assembly's voters are then the same list
        // from tick to tick, which is what lets it reuse its reading of their views. `pollAll`
        // returns its reports in that order; only discovered nodes and strays come after.
        if !newcomers.isEmpty || !strays.isEmpty { reports.sort { $0.address < $1.address } }
        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: latest, now: Date().timeIntervalSince1970, memo: memo)
        let events = latest.map { SnapshotDiff.events(from: $0, to: snapshot, lag: lagThresholds) } ?? []
        latest = snapshot
        forgetDeparted(in: snapshot)
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
        lastRoster = nil
    }

    /// By index: a node (about 40 fields) is not copied to read its address, as a `filter` or a
    /// lazy filter's closure did, for every node, each tick.
    private func knownAddresses() -> [NodeAddress] {
        guard let nodes = latest?.nodes else { return [] }
        var addresses: [NodeAddress] = []
        addresses.reserveCapacity(nodes.count)
        for index in nodes.indices where !nodes[index].isUnknownSeed { addresses.append(nodes[index].address) }
        return addresses
    }

    /// What the poller keeps for one node between ticks. One object per node, held by the roster
    /// too, so that a quiet tick reads and updates it without a lookup by address (three tables
    /// keyed by address were three hashed lookups per node before and after every tick; issue 12).
    private final class KeptState {
        /// Its `save` rules and when they were read (see `SaveRulesAnswer`).
        var saveRules: (answer: SaveRulesAnswer, time: Double)?
        /// Its last CLUSTER NODES, as read: an identical reply next tick is not parsed again.
        var topology: ParsedTopology?
        /// Its INFO server section as last read (see `ServerIdentity`).
        var identity: ServerIdentity?
    }

    private func keptState(_ address: NodeAddress) -> KeptState {
        if let state = kept[address] { return state }
        let state = KeptState()
        kept[address] = state
        return state
    }

    /// A tick's targets in address order, with each one's client and kept state.
    private struct Roster {
        /// The addresses as given: the snapshot's order, which a quiet tick repeats.
        let listed: [NodeAddress]
        let set: Set<NodeAddress>
        let sorted: [NodeAddress]
        let positions: [NodeAddress: Int]
        let clients: [NodeClient]
        let states: [KeptState]

        init(_ listed: [NodeAddress], clients client: (NodeAddress) -> NodeClient, states state: (NodeAddress) -> KeptState) {
            self.listed = listed
            set = Set(listed)
            sorted = set.sorted()
            positions = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
            clients = sorted.map(client)
            states = sorted.map(state)
        }
    }

    /// Last tick's targets, reused while the snapshot lists the same nodes in the same order: the
    /// set, the sort, the positions and a client lookup per node were rebuilt every tick (issue 12).
    /// Dropped when a client is forgotten, so it never holds one the poller no longer keeps.
    private var lastRoster: Roster?

    private func roster(for listed: [NodeAddress]) -> Roster {
        if let lastRoster, lastRoster.listed == listed { return lastRoster }
        let roster = Roster(listed, clients: client(for:), states: keptState)
        lastRoster = roster
        return roster
    }

    private func pollAll(_ roster: Roster, fullTopology: Bool) async -> [NodeReport] {
        let now = Date().timeIntervalSince1970
        let sorted = roster.sorted
        let positions = roster.positions
        let targets = sorted.indices.map { position in
            let address = sorted[position]
            let state = roster.states[position]
            return Target(client: roster.clients[position], askSaveRules: Self.shouldAskSaveRules(state, now: now), last: state.topology,
                          ask: refresh.ask(address, forceAll: fullTopology), identity: state.identity,
                          saveConfigured: state.saveRules?.answer.configured)
        }
        // Nodes on a connection that told us its server section are polled together (SteadyPoll);
        // the others (new connections, CONFIG GET save due, failures) each in their own task.
        var steady: [(poll: SteadyPoll, target: Target)] = []
        var ordinary: [Target] = []
        for target in targets {
            if let plan = SteadyPoll.plan(address: target.client.address, askSaveRules: target.askSaveRules, last: target.last, topology: target.ask,
                                          identity: target.identity, saveConfigured: target.saveConfigured),
               let prepared = target.client.prepare(on: plan.connection, encoded: plan.request, replyCount: plan.replyCount, reading: plan.reading) {
                steady.append((SteadyPoll(client: target.client, prepared: prepared, light: plan.light, identity: plan.identity,
                                          saveConfigured: plan.saveConfigured), target))
            } else {
                ordinary.append(target)
            }
        }
        // The requests carrying CLUSTER NODES first, so that their servers, which have about
        // three times a light request's work, start first: a tick ends with its slowest node.
        steady = steady.filter { !$0.poll.light } + steady.filter { $0.poll.light }
        let polled: [NodePoll.Result]
        if steady.isEmpty {
            polled = await Self.pollEach(ordinary)
        } else if ordinary.isEmpty {
            polled = await pollSteady(steady)
        } else {
            async let ordinaryPolled = Self.pollEach(ordinary)
            let steadyPolled = await pollSteady(steady)
            polled = steadyPolled + (await ordinaryPolled)
        }
        // In address order (the order of `sorted`), whatever order the replies came in.
        var placed = [NodeReport?](repeating: nil, count: sorted.count)
        var unplaced: [NodeReport] = []
        for index in polled.indices {
            let result = polled[index]
            let report = result.report
            let position = positions[report.address]
            let state = position.map { roster.states[$0] } ?? keptState(report.address)
            if let answer = result.saveRules { state.saveRules = (answer, report.time) }
            // A poll that did not ask the server section passes the identity it was given back.
            if result.identity == nil || result.askedServerSection { state.identity = result.identity }
            if result.askedServerSection { serverSectionAsks += 1 }
            // Its report says whether RDB saves are configured already (`Target.saveConfigured`).
            if let position, placed[position] == nil {
                placed[position] = report
            } else {
                unplaced.append(report)
            }
            // A node that failed keeps its last reading: its next answer is often the same text.
            guard let topology = result.topology, let signature = result.signature else {
                refresh.failed(report.address)
                continue
            }
            refresh.answered(report.address, asked: result.asked, signature: signature, connection: result.connection,
                             position: position ?? 0)
            switch result.asked {
            case .inPoll: topologyAsks.inPoll += 1
            case .secondTrip: topologyAsks.secondTrip += 1
            case .skipped: topologyAsks.skipped += 1; continue
            }
            state.topology = topology
            if topology.reused { parsesSkipped += 1 } else { parses += 1 }
        }
        // Moved out, not copied (a report is a few dozen fields).
        var reports: [NodeReport] = []
        reports.reserveCapacity(placed.count + unplaced.count)
        for index in placed.indices {
            if let report = placed[index].take() { reports.append(report) }
        }
        reports.append(contentsOf: unplaced)
        return reports
    }

    /// Steady polls, written together and read where their replies land (`SteadyPoll`).
    private func pollSteady(_ steady: [(poll: SteadyPoll, target: Target)]) async -> [NodePoll.Result] {
        steadyPolls += steady.count
        let writtenAt = ContinuousClock.now
        let outcomes = await RedisConnection.writeAndRead(steady.map(\.poll.prepared.request))
        var polled: [NodePoll.Result] = []
        polled.reserveCapacity(steady.count)
        var unfinished: [(poll: SteadyPoll, target: Target, outcome: Result<SteadyPoll.Reading, any Error>)] = []
        for ((poll, target), outcome) in zip(steady, outcomes) {
            if let result = SteadyPoll.result(outcome, writtenAt: writtenAt) {
                polled.append(result)
            } else {
                unfinished.append((poll, target, outcome))
            }
        }
        guard !unfinished.isEmpty else { return polled }
        return polled + (await withTaskGroup(of: NodePoll.Result.self, returning: [NodePoll.Result].self) { group in
            for (poll, target, outcome) in unfinished {
                group.addTask { await poll.finish(outcome, last: target.last, writtenAt: writtenAt) }
            }
            var results: [NodePoll.Result] = []
            for await result in group { results.append(result) }
            return results
        })
    }

    /// One node's poll this tick, as decided before anything is sent.
    private struct Target: Sendable {
        let client: NodeClient
        let askSaveRules: Bool
        let last: ParsedTopology?
        let ask: TopologyAsk
        let identity: ServerIdentity?
        /// Whether RDB saves are configured, as last read (nil: not known).
        let saveConfigured: Bool?
    }

    /// Each node polled in its own task, each connecting if it must.
    private static func pollEach(_ targets: [Target]) async -> [NodePoll.Result] {
        guard !targets.isEmpty else { return [] }
        return await withTaskGroup(of: NodePoll.Result.self, returning: [NodePoll.Result].self) { group in
            for target in targets {
                group.addTask {
                    await NodePoll.poll(target.client, askSaveRules: target.askSaveRules, last: target.last, topology: target.ask,
                                        identity: target.identity, saveConfigured: target.saveConfigured)
                }
            }
            var results: [NodePoll.Result] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    /// Asked on a node's first poll and every `refreshSeconds` after; a refusal is not asked again
    /// until the node's connection is replaced (each refusal is one entry in the node's ACL LOG).
    private static func shouldAskSaveRules(_ state: KeptState, now: Double) -> Bool {
        guard let known = state.saveRules else { return true }
        if known.answer == .refused { return false }
        return now - known.time >= SaveRulesAnswer.refreshSeconds
    }

    /// Drops what is kept for nodes neither in `snapshot` nor seeds. Addresses are read by index,
    /// without copying each node (`knownAddresses`).
    private func forgetDeparted(in snapshot: ClusterSnapshot) {
        // A quiet tick: the roster lists this snapshot's nodes and its clients are all there are
        // (the roster is dropped whenever one is forgotten), so every client is kept.
        if let lastRoster, lastRoster.clients.count == clients.count, lastRoster.listed == knownAddresses() { return }
        let nodes = snapshot.nodes
        var keeping = Set(seeds)
        keeping.reserveCapacity(nodes.count + seeds.count)
        for index in nodes.indices { keeping.insert(nodes[index].address) }
        for (address, client) in clients where !keeping.contains(address) {
            clients[address] = nil
            lastRoster = nil
            kept[address] = nil
            refresh.forget(address)
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
