/// One shard's memory and keys at one poll of its primary.
public struct CapacitySample: Hashable, Sendable {
    /// When the primary answered (seconds since the Unix epoch).
    public var time: Double
    public var usedMemory: Int64
    public var keys: Int64
    /// 0 = no limit.
    public var maxMemory: Int64

    public init(time: Double, usedMemory: Int64, keys: Int64, maxMemory: Int64) {
        self.time = time
        self.usedMemory = usedMemory
        self.keys = keys
        self.maxMemory = maxMemory
    }
}

/// The memory history shardtop keeps per shard, for the sparklines and the fill forecast.
/// Keyed by the primary's id; when a replica takes over, the series follows it to the new primary,
/// since the data (and so its growth) is the same.
public struct CapacityHistory: Sendable, Equatable {
    /// At a 1 s interval, 12 minutes; at 5 s, an hour.
    public static let length = 720

    public private(set) var byShard: [String: [CapacitySample]] = [:]
    /// Each replica's primary at the last record, to hand a series over on failover.
    private var primaryOfReplica: [String: String] = [:]

    public init() {}

    /// Adds one sample per primary with fresh numbers (a primary that did not answer this round
    /// keeps its old `lastSeen`, and adds nothing rather than repeating the old value).
    public mutating func record(_ snapshot: ClusterSnapshot) {
        let primaries = snapshot.nodes.filter { $0.isPrimary && !$0.isUnknownSeed }
        for primary in primaries where byShard[primary.id] == nil {
            if let former = primaryOfReplica[primary.id], let series = byShard[former],
               !primaries.contains(where: { $0.id == former }) {
                byShard[primary.id] = series
                byShard[former] = nil
            }
        }
        for primary in primaries {
            guard let time = primary.lastSeen, let used = primary.usedMemory else { continue }
            let sample = CapacitySample(time: time, usedMemory: used, keys: primary.keys ?? 0, maxMemory: primary.maxMemory ?? 0)
            var series = byShard[primary.id] ?? []
            if let last = series.last, last.time >= time { continue }
            series.append(sample)
            if series.count > Self.length { series.removeFirst(series.count - Self.length) }
            byShard[primary.id] = series
        }
        let live = Set(primaries.map(\.id))
        byShard = byShard.filter { live.contains($0.key) }
        primaryOfReplica = [:]
        for node in snapshot.nodes where node.role == .replica {
            if let primary = node.primaryId { primaryOfReplica[node.id] = primary }
        }
    }

    public func samples(shard primaryId: String) -> [CapacitySample] { byShard[primaryId] ?? [] }

    /// Every shard's forecast, by primary id.
    public func forecasts(window: Double = CapacityForecast.window) -> [String: CapacityForecast] {
        byShard.mapValues { CapacityForecast(samples: $0, window: window) }
    }
}
