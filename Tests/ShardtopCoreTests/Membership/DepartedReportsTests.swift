import Testing
@testable import ShardtopCore

/// A node that was removed (forgotten everywhere, reset) still answers; the poller drops it once
/// no other answering node lists it, and keeps everything else.
@Suite struct DepartedReportsTests {
    static func address(_ port: Int) -> NodeAddress { NodeAddress(host: "127.0.0.1", port: port) }

    /// A node at `port` with id `id` that lists itself and `knows` (port: id).
    static func report(_ port: Int, id: String, knows: [Int: String]) -> NodeReport {
        var topology = [TopologyEntry(id: id, address: address(port), flags: [.myself, .primary], primaryID: nil, configEpoch: 0, linkConnected: true, slots: [])]
        for (other, otherId) in knows.sorted(by: { $0.key < $1.key }) {
            topology.append(TopologyEntry(id: otherId, address: address(other), flags: .primary, primaryID: nil, configEpoch: 0, linkConnected: true, slots: []))
        }
        return NodeReport(address: address(port), time: 0, outcome: .answered(topology: topology, clusterInfo: ClusterInfoReport(state: "ok"), info: ServerInfo()))
    }

    @Test func aResetNodeNobodyListsIsDropped() {
        let reports = [
            Self.report(7000, id: "a", knows: [7001: "b"]),
            Self.report(7001, id: "b", knows: [7000: "a"]),
            // Reset: a new id, knows nobody, nobody knows it.
            Self.report(7002, id: "fresh", knows: [:]),
        ]
        let kept = DepartedReports.withoutDeparted(reports, seeds: [Self.address(7000)])
        #expect(kept.map(\.address.port) == [7000, 7001])
    }

    @Test func seedsLoneNodesAndSilentNodesAreKept() {
        let lone = [Self.report(7002, id: "fresh", knows: [:])]
        #expect(DepartedReports.withoutDeparted(lone, seeds: []).count == 1)
        let reports = [
            Self.report(7000, id: "a", knows: [7001: "b"]),
            Self.report(7001, id: "b", knows: [7000: "a"]),
            Self.report(7002, id: "wrong-seed", knows: [:]),
            NodeReport(address: Self.address(7003), time: 0, outcome: .failed(reason: "no reply")),
        ]
        #expect(DepartedReports.withoutDeparted(reports, seeds: [Self.address(7002)]).count == 4)
    }
}
