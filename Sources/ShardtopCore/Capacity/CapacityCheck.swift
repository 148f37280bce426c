/// Findings about room to grow: memory against maxmemory, evictions, the fill forecast, clients.
public enum CapacityCheck {
    public static func findings(
        _ snapshot: ClusterSnapshot, thresholds: CapacityThresholds = .default, forecasts: [String: CapacityForecast] = [:]
    ) -> [Finding] {
        var findings: [Finding] = []
        var unlimited: [SnapshotNode] = []
        for primary in snapshot.nodes where primary.isPrimary && !primary.isUnknownSeed {
            if let max = primary.maxMemory, let used = primary.usedMemory {
                if max == 0 {
                    if primary.slotCount > 0 { unlimited.append(primary) }
                } else if thresholds.isNearlyFull(used: used, max: max) {
                    let percent = Int((Double(used) / Double(max) * 100).rounded(.down))
                    findings.append(Finding(
                        severity: .warning, code: "memory-near-max",
                        message: "primary \(primary.address) uses \(percent)% of its maxmemory (\(ByteCount.text(used)) of \(ByteCount.text(max)); threshold \(number(100 - thresholds.memoryHeadroomPercent))%), policy \(primary.maxMemoryPolicy ?? "unknown")",
                        nodes: [primary.id]
                    ))
                }
            }
            if let rate = primary.evictedKeysPerSec, rate > 0 {
                findings.append(Finding(
                    severity: .warning, code: "evicting",
                    message: "primary \(primary.address) is evicting \(number(rate)) keys/s (policy \(primary.maxMemoryPolicy ?? "unknown")): data is being dropped to stay under maxmemory",
                    nodes: [primary.id]
                ))
            }
            if let seconds = forecasts[primary.id]?.confidentFillSeconds, seconds <= thresholds.fillWithinSeconds {
                findings.append(Finding(
                    severity: .warning, code: "fill-forecast",
                    message: "primary \(primary.address) reaches maxmemory in about \(durationText(seconds)) at its current growth (threshold \(durationText(thresholds.fillWithinSeconds)))",
                    nodes: [primary.id]
                ))
            }
            if let clients = primary.clients, let max = primary.maxClients, max > 0,
               Double(clients) >= Double(max) * (1 - thresholds.memoryHeadroomPercent / 100) {
                findings.append(Finding(
                    severity: .warning, code: "clients-near-max",
                    message: "primary \(primary.address) has \(clients) of \(max) clients (maxclients): new connections will be refused",
                    nodes: [primary.id]
                ))
            }
        }
        // One note for all of them: a lab, or a deployment sized by the host, has none anywhere,
        // and one line per primary would bury the findings that matter.
        if !unlimited.isEmpty {
            // Written out rather than `joined(separator:)`, whose first call costs a cold snapshot a
            // scan of the binary's conformance records (issue 12, ninth round).
            var names = ""
            for node in unlimited.prefix(3) { names += names.isEmpty ? "\(node.address)" : ", \(node.address)" }
            let more = unlimited.count > 3 ? " and \(unlimited.count - 3) more" : ""
            findings.append(Finding(
                severity: .info, code: "no-maxmemory",
                message: "\(unlimited.count) primar\(unlimited.count == 1 ? "y has" : "ies have") no maxmemory (\(names)\(more)): memory grows until the host runs out; nothing to forecast against",
                nodes: unlimited.map(\.id)
            ))
        }
        return findings
    }

    /// "12", "3.5", "0.25".
    static func number(_ value: Double) -> String {
        if value >= 10 || value == value.rounded() { return "\(Int(value.rounded()))" }
        let tenths = (value * 10).rounded() / 10
        return tenths > 0 ? "\(tenths)" : "\((value * 100).rounded() / 100)"
    }

    /// "45s", "12m", "3.2h", "4.5d".
    public static func durationText(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded()))s" }
        if seconds < 90 * 60 { return "\(Int((seconds / 60).rounded()))m" }
        if seconds < 48 * 3600 { return tenths(seconds / 3600) + "h" }
        return tenths(seconds / 86_400) + "d"
    }

    /// One decimal below 10 ("3.2"), whole numbers above ("24", "130").
    private static func tenths(_ value: Double) -> String {
        value < 10 ? "\((value * 10).rounded() / 10)" : "\(Int(value.rounded()))"
    }
}
