import Testing
import ShardtopCore
@testable import ShardtopRedis

/// What the poller works out from a tick's views (who they name, who departed) is reused only
/// while every answering node's view is the same one (same address, same topology token), in the
/// same order (the poller's reports come in address order).
@Suite struct ViewsMemoTests {
    let a = NodeAddress(host: "127.0.0.1", port: 7000)
    let b = NodeAddress(host: "127.0.0.1", port: 7001)

    private func answered(_ address: NodeAddress, token: UInt64?) -> NodeReport {
        NodeReport(address: address, time: 0, outcome: .answered(topology: [], clusterInfo: ClusterInfoReport(state: "ok"), info: ServerInfo()),
                   topologyToken: token)
    }

    private func failed(_ address: NodeAddress) -> NodeReport {
        NodeReport(address: address, time: 0, outcome: .failed(reason: "connection refused"))
    }

    @Test func theSameViewsReuseTheValueAndAnyChangeWorksItOutAgain() {
        var memo = ViewsMemo<Int>()
        var computed = 0
        func value(_ reports: [NodeReport]) -> Int { memo.value(for: reports) { _ in computed += 1; return computed } }

        #expect(value([answered(a, token: 1), answered(b, token: 2)]) == 1)
        #expect(value([answered(a, token: 1), answered(b, token: 2)]) == 1, "the same views in the same order")
        #expect(value([answered(b, token: 2), answered(a, token: 1)]) == 2, "another order is worked out again, never mistaken")
        #expect(value([answered(a, token: 1), answered(b, token: 3)]) == 3, "a view changed")
        #expect(value([answered(a, token: 1)]) == 4, "a node stopped answering")
        #expect(value([answered(a, token: 1), failed(b)]) == 4, "a failed node has no view")
        #expect(value([answered(a, token: 1), answered(b, token: 3)]) == 5, "it came back")
    }

    @Test func aViewWithoutATokenIsNeverReused() {
        var memo = ViewsMemo<Int>()
        var computed = 0
        let reports = [answered(a, token: nil), answered(b, token: 2)]
        #expect(memo.value(for: reports) { _ in computed += 1; return computed } == 1)
        #expect(memo.value(for: reports) { _ in computed += 1; return computed } == 2)
    }
}
