import ShardtopCore

/// How capacity and persistence values read on screen, shared by the capacity screen and the
/// overview's "closest to full" line.
enum CapacityText {
    /// "~5m (4m-7m)", "at maxmemory", "not enough history (12s)".
    static func fill(_ fill: CapacityForecast.Fill, short: Bool = false) -> (text: String, role: StyleRole) {
        switch fill {
        case .notEnoughHistory(_, let seconds):
            return (short ? "history \(Int(seconds))s" : "not enough history (\(Int(seconds))s)", .dim)
        case .noLimit:
            return ("no maxmemory", .dim)
        case .atLimit:
            return ("at maxmemory", .error)
        case .notGrowing:
            return ("not growing", .ok)
        case .fills(let seconds, let soonest, let latest):
            let range = "\(CapacityCheck.durationText(soonest))-\(latest.map(CapacityCheck.durationText) ?? "?")"
            return ("~\(CapacityCheck.durationText(seconds)) (\(range))", latest == nil ? .normal : .warning)
        }
    }

    /// "+12.0K/s (10.0K-14.0K)" for bytes, "+50/s (40-60)" for keys.
    static func rate(_ estimate: RateEstimate?, bytes: Bool) -> String {
        guard let estimate else { return "-" }
        func amount(_ value: Double) -> String {
            let rounded = Int64(value.rounded())
            return bytes ? Format.bytes(rounded) : Format.count(rounded)
        }
        let sign = estimate.perSecond >= 0 ? "+" : ""
        return "\(sign)\(amount(estimate.perSecond))/s (\(amount(estimate.low))..\(amount(estimate.high)))"
    }

    /// Used over max as a fraction; nil without a limit.
    static func fraction(_ node: SnapshotNode) -> Double? {
        guard let max = node.maxMemory, max > 0, let used = node.usedMemory else { return nil }
        return Double(used) / Double(max)
    }

    /// The primary closest to its maxmemory, with its shard number (1-based, as the overview counts).
    static func closestToFull(_ snapshot: ClusterSnapshot) -> (index: Int, node: SnapshotNode, fraction: Double)? {
        var best: (Int, SnapshotNode, Double)?
        let nodes = NodeIndex(snapshot)
        for (index, shard) in snapshot.shards.enumerated() {
            guard let primary = nodes.node(id: shard.primaryId), let fraction = fraction(primary) else { continue }
            if best == nil || fraction > best!.2 { best = (index + 1, primary, fraction) }
        }
        return best
    }

    /// One line for the overview: which shard fills first and when.
    static func closestToFullLine(_ state: AppState) -> (text: String, role: StyleRole)? {
        guard let snapshot = state.snapshot, let (index, node, fraction) = closestToFull(snapshot) else { return nil }
        let percent = Int((fraction * 100).rounded(.down))
        var text = "closest to full: shard \(index) \(node.address) \(percent)% of \(Format.bytes(node.maxMemory))"
        var role: StyleRole = state.capacityThresholds.isNearlyFull(used: node.usedMemory ?? 0, max: node.maxMemory ?? 0) ? .warning : .normal
        if let forecast = state.forecasts[node.id] {
            let (said, _) = fill(forecast.fill)
            if case .fills = forecast.fill { text += ", fills in \(said)" } else { text += ", \(said)" }
        }
        if let evicting = node.evictedKeysPerSec, evicting > 0 {
            text += ", evicting \(Format.count(Int64(evicting.rounded())))/s"
            role = .warning
        }
        return (text, role)
    }

    /// "3m", "2h05m", "-" when unknown.
    static func age(_ seconds: Int64?) -> String {
        guard let seconds else { return "-" }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 * 2 { return "\(seconds / 3600)h\(seconds % 3600 / 60 < 10 ? "0" : "")\(seconds % 3600 / 60)m" }
        return "\(seconds / 86_400)d"
    }
}
