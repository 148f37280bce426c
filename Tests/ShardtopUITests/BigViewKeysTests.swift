import Foundation
import ShardtopCore
import Testing
@testable import ShardtopUI

/// One node answers with a CLUSTER NODES of 5,000 lines and the other 4,999 cannot be reached:
/// the view that made every key cost 0.8 s. A key must read the snapshot's derived views
/// (SnapshotViews), never re-sort or re-index the nodes; and the rows it reads must be exactly
/// the rows worked out from scratch.
@Suite(.serialized) struct BigViewKeysTests {
    static let nodeCount = 5_000

    static func id(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 40 - hex.count) + hex
    }

    /// The lone answering node lists every node; the others fail, as they did against the fake node.
    static func reports(at time: Double) -> [NodeReport] {
        let primaries = nodeCount / 2
        func address(_ n: Int) -> NodeAddress { NodeAddress(host: "127.0.\(1 + n / 250).\(1 + n % 250)", port: 7000) }
        var topology: [TopologyEntry] = []
        topology.reserveCapacity(nodeCount)
        for n in 0..<nodeCount {
            var flags: NodeFlags = n < primaries ? .primary : .replica
            if n == 0 { flags.insert(.myself) }
            let per = hashSlotCount / primaries
            let slots = n < primaries ? [SlotRange(n * per, n == primaries - 1 ? hashSlotCount - 1 : n * per + per - 1)] : []
            topology.append(TopologyEntry(id: id(n), address: address(n), flags: flags, primaryID: n < primaries ? nil : id(n - primaries),
                                          configEpoch: Int64(n % primaries + 1), linkConnected: true, slots: slots))
        }
        var info = ServerInfo(serverName: "redis", version: "7.0.15", keys: 10)
        info.role = .primary
        var reports = [NodeReport(address: address(0), time: time, roundTripSeconds: 0.001,
                                  outcome: .answered(topology: topology, clusterInfo: ClusterInfoReport(state: "ok"), info: info))]
        for n in 1..<nodeCount {
            reports.append(NodeReport(address: address(n), time: time, outcome: .failed(reason: "connection refused")))
        }
        return reports
    }

    static let base: AppState = {
        var state = AppState()
        state.width = 120
        state.height = 40
        state.now = 1_795_000_000
        let first = SnapshotAssembler.assemble(reports: reports(at: state.now - 1), previous: nil, now: state.now - 1)
        _ = Reducer.reduce(&state, .snapshotArrived(first, []))
        let second = SnapshotAssembler.assemble(reports: reports(at: state.now), previous: first, now: state.now)
        _ = Reducer.reduce(&state, .snapshotArrived(second, []))
        return state
    }()

    /// Where the rows array lives: the same storage after a key means the key did not rebuild it.
    static func storage(_ state: AppState) -> UnsafeRawPointer? {
        state.views?.rows.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    @Test func keysReadTheCachedRowsInsteadOfSortingAgain() throws {
        var state = Self.base
        #expect(state.snapshot?.nodes.count == Self.nodeCount)
        let built = try #require(Self.storage(state))
        for key in [Key.character("2"), .down, .down, .pageDown, .up, .character("1"), .character("4"), .character("5"),
                    .character("6"), .character("2"), .end, .home, .character("?"), .character("?")] {
            _ = Reducer.handle(key: key, state: &state)
            _ = DashboardRenderer.render(state)
            #expect(Self.storage(state) == built, "key \(key) rebuilt the rows")
        }
        // A clock tick, a status line and log lines do not touch the rows either.
        _ = Reducer.reduce(&state, .clock(state.now + 1))
        _ = Reducer.reduce(&state, .status("hello"))
        _ = Reducer.reduce(&state, .logLines(nodeId: Self.id(7), lines: [], source: "test", status: "ok", restarted: false))
        #expect(Self.storage(state) == built)
    }

    @Test func cachedRowsAreAlwaysTheRowsWorkedOutFromScratch() throws {
        var state = Self.base
        func check(_ step: String) {
            guard let snapshot = state.snapshot else { return }
            let fresh = NodesScreenModel.sortedRows(snapshot, state.nodes).map(\.id)
            #expect(NodesScreenModel.rows(state).map(\.id) == fresh, "after \(step)")
            #expect(state.views != nil, "after \(step): the reducer left no views")
        }
        _ = Reducer.handle(key: .character("2"), state: &state)
        check("2")
        for step in ["s", "s", "r", "s"] {
            _ = Reducer.handle(key: .character(Character(step)), state: &state)
            check(step)
        }
        for key in [Key.character("/"), .character("1"), .character("2"), .character("7"), .backspace] {
            _ = Reducer.handle(key: key, state: &state)
            check("filter key \(key)")
        }
        _ = Reducer.handle(key: .enter, state: &state)
        check("enter")
        // A new snapshot replaces the views; setting one directly (as tests do) drops them.
        let next = SnapshotAssembler.assemble(reports: Self.reports(at: state.now + 1), previous: state.snapshot, now: state.now + 1)
        _ = Reducer.reduce(&state, .snapshotArrived(next, []))
        check("snapshot")
        state.snapshot = next
        #expect(state.views == nil)
        #expect(NodesScreenModel.rows(state).count == NodesScreenModel.sortedRows(next, state.nodes).count)
    }

    /// The figure the operator feels: a key's reduce and render together. Counting (above) is what
    /// catches a regression without flaking; this bound is ten times the usual time in a debug build
    /// on a busy machine, so it only fails when keys are slow again.
    @Test func aKeyAndItsFrameTakeWellUnder100Milliseconds() {
        var state = Self.base
        _ = Reducer.handle(key: .character("2"), state: &state)
        _ = DashboardRenderer.render(state)
        var times: [Duration] = []
        for key in [Key.down, .down, .down, .up, .pageDown, .pageUp, .character("1"), .character("2"), .down, .up, .character("6"),
                    .character("3"), .character("4"), .character("5"), .down, .character("7"), .character("5")] {
            let started = ContinuousClock.now
            _ = Reducer.handle(key: key, state: &state)
            _ = DashboardRenderer.render(state)
            times.append(ContinuousClock.now - started)
        }
        let median = times.sorted()[times.count / 2]
        #expect(median < .milliseconds(100), "median key + frame \(median); all: \(times)")
        // And no screen far slower than the rest: a ceiling for a busy machine, not a target.
        let slowest = times.max() ?? .zero
        #expect(slowest < .milliseconds(500), "slowest key + frame \(slowest); all: \(times)")
    }
}
