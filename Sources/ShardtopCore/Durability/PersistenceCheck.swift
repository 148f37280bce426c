/// Findings about what a crash or restart would lose, from each node's INFO persistence.
public enum PersistenceCheck {
    public static func findings(_ snapshot: ClusterSnapshot, thresholds: PersistenceThresholds = .default) -> [Finding] {
        var findings: [Finding] = []
        let real = snapshot.nodes.filter { !$0.isUnknownSeed }
        for node in real {
            guard let persistence = node.persistence else { continue }
            // With stop-writes-on-bgsave-error (on by default) the node then refuses every write
            // (MISCONF): an outage for its slots, not only a durability gap.
            if persistence.rdbLastBgsaveStatus == .failed {
                findings.append(Finding(
                    severity: .error, code: "bgsave-failed",
                    message: "\(node.address): the last background save failed (the node refuses writes while stop-writes-on-bgsave-error is yes, the default); see its log",
                    nodes: [node.id]
                ))
            }
            if persistence.aofEnabled == true, persistence.aofLastWriteStatus == .failed {
                findings.append(Finding(
                    severity: .error, code: "aof-write-error",
                    message: "\(node.address): writing the append-only file failed (the node refuses writes until a write succeeds); see its log",
                    nodes: [node.id]
                ))
            }
            if persistence.rdbSaveConfigured == true, let age = persistence.rdbLastSaveAgeSeconds, age > thresholds.saveAgeSeconds,
               let changes = persistence.rdbChangesSinceLastSave, changes > 0 {
                findings.append(Finding(
                    severity: .warning, code: "save-overdue",
                    message: "\(node.address): no successful save for \(duration(age)) (threshold \(duration(thresholds.saveAgeSeconds))) with \(changes) changes unsaved",
                    nodes: [node.id]
                ))
            }
        }
        for primary in real where primary.isPrimary && primary.slotCount > 0 {
            guard primary.persistence?.isPersistent == false else { continue }
            let replicas = snapshot.replicas(of: primary.id)
            let healthy = replicas.filter { $0.health == .ok && $0.primaryLinkStatus != "down" }
            guard healthy.isEmpty else { continue }
            let keys = primary.keys.map { " and its \($0) keys" } ?? ""
            findings.append(Finding(
                severity: .warning, code: "no-persistence-no-replica",
                message: "primary \(primary.address) has no persistence (no save rules, AOF off) and no healthy replica: a restart loses its \(primary.slotCount) slots' data\(keys)",
                nodes: [primary.id] + replicas.map(\.id)
            ))
        }
        return findings
    }

    /// "3h05m", "12m", "40s".
    static func duration(_ seconds: Int64) -> String {
        if seconds >= 3600 { return "\(seconds / 3600)h\(String(format2: (seconds % 3600) / 60))m" }
        if seconds >= 60 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}

extension String {
    /// Two digits, zero-padded (Foundation-free).
    fileprivate init(format2 value: Int64) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
