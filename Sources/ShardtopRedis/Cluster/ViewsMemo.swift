import ShardtopCore

/// A value worked out from a tick's CLUSTER NODES views, kept while the views stay the same.
///
/// A view is known by its node's address and its topology token (`ParsedTopology`): the same
/// token means the same entries. On a quiet tick every view is last tick's, and walking all 30
/// views (900 entries) again to name their addresses and find departed nodes was about a quarter
/// of the poller's CPU after the replies (issue 12, `perf record` of `watch --interval 0.1`). A failed node has no view: its failing or
/// coming back changes the key, and a view without a token is never taken for another.
///
/// The key is the views in report order: the poller hands its reports over in address order, so
/// a quiet tick's key is last tick's, compared without hashing a single address; reports in
/// another order only cost a recomputation.
struct ViewsMemo<Value> {
    private struct View: Equatable {
        var address: NodeAddress
        var token: UInt64
    }

    private var views: [View]?
    private var value: Value?

    mutating func value(for reports: [NodeReport], compute: ([NodeReport]) -> Value) -> Value {
        var key: [View]? = []
        key?.reserveCapacity(reports.count)
        for report in reports {
            guard case .answered = report.outcome else { continue }
            guard let token = report.topologyToken else { key = nil; break }
            key?.append(View(address: report.address, token: token))
        }
        if let key, key == views, let value { return value }
        let computed = compute(reports)
        views = key
        value = computed
        return computed
    }
}
