import ShardtopCore
import ShardtopRedis

/// More polls after the first, for the findings that need a rate or a history: evictions per
/// second need two polls, a fill forecast needs many. The same history type the dashboard keeps.
public enum CapacitySampling {
    /// Polls once a second for `seconds` (at least one more poll when `seconds` is 0 but a primary
    /// with a maxmemory has evicted keys, so "evicting now" can be told from "evicted once").
    public static func sample(_ poller: ClusterPoller, from first: ClusterSnapshot, seconds: Double) async -> (snapshot: ClusterSnapshot, forecasts: [String: CapacityForecast]) {
        var history = CapacityHistory()
        history.record(first)
        var snapshot = first
        let evictedOnce = first.primaries.contains { ($0.maxMemory ?? 0) > 0 && ($0.evictedKeys ?? 0) > 0 }
        let polls = seconds > 0 ? Int(seconds.rounded(.up)) : (evictedOnce ? 1 : 0)
        for _ in 0..<polls {
            try? await Task.sleep(for: .seconds(1))
            snapshot = await poller.tick().snapshot
            history.record(snapshot)
        }
        return (snapshot, seconds > 0 ? history.forecasts() : [:])
    }
}
