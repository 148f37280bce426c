import ShardtopApp
import Foundation
import ShardtopRedis

/// Everything `bench scale` prints: one row per cluster size, as a table, a text chart or JSON.
struct ScaleBenchReport: Codable {
    struct Row: Codable {
        var nodes: Int
        var primaries: Int
        var labStartSeconds: Double
        /// /proc/loadavg just before this size's lab started.
        var loadBeforeStart: String
        var coldSnapshotMillis: Double
        var redisCliCheckMillis: Double
        var warmTickMillis: Double
        /// The same, with the dashboard's rule (CLUSTER NODES only when a node is due or moved; issue 12).
        var warmTickPeriodicMillis: Double = .nan
        /// One node's CLUSTER NODES reply; a full poll reads about this much from every node.
        var clusterNodesReplyBytes: Int
        var dashboardCPUPercent: Double
        var htopCPUPercent: Double
        var dashboardRSSMiB: Double
        var htopRSSMiB: Double
        var keyMillis: BenchSummary
        var keySamplesMillis: [Double]

        var coldRatio: Double { coldSnapshotMillis / redisCliCheckMillis }
        var warmRatio: Double { warmTickMillis / redisCliCheckMillis }
        var warmPeriodicRatio: Double { warmTickPeriodicMillis / redisCliCheckMillis }
        var cpuRatio: Double { dashboardCPUPercent / htopCPUPercent }
        var rssRatio: Double { dashboardRSSMiB / htopRSSMiB }
    }

    struct Machine: Codable {
        var nproc: Int
        var serverPath: String
        var serverVersion: String
        var redisCliVersion: String
        var htopVersion: String
        var kernel: String
    }

    var invocation: String
    var replicasPerPrimary: Int
    var repetitions: Int
    var warmup: Int
    var dashboardSeconds: Int
    var rows: [Row]
    /// Sizes not measured, each with why (e.g. its lab did not form).
    var missed: [String] = []
    var machine: Machine

    func renderTable() -> String {
        var lines: [String] = []
        lines.append("shardtop-bench scale: \(replicasPerPrimary) replica(s) per primary; snapshot: \(warmup) warm-up + \(repetitions) "
            + "alternating rounds (medians); dashboard: 120x40 pty, 1 s refresh, beside htop -d 10, 5 s warm-up + \(dashboardSeconds) s")
        let header = ["nodes", "lab start", "cold snap", "redis-cli", "ratio", "warm tick", "ratio", "dash tick", "ratio", "NODES reply",
                      "CPU %", "htop %", "ratio", "RSS MiB", "htop MiB", "ratio", "keys med/max ms"]
        var table = [header]
        for row in rows {
            table.append([
                "\(row.nodes)", fmt(row.labStartSeconds, 1) + " s",
                fmt(row.coldSnapshotMillis, 1) + " ms", fmt(row.redisCliCheckMillis, 1) + " ms", fmt(row.coldRatio, 2) + "x",
                fmt(row.warmTickMillis, 1) + " ms", fmt(row.warmRatio, 2) + "x",
                fmt(row.warmTickPeriodicMillis, 1) + " ms", fmt(row.warmPeriodicRatio, 2) + "x",
                fmt(Double(row.clusterNodesReplyBytes) / 1024, 1) + " KiB",
                fmt(row.dashboardCPUPercent, 2), fmt(row.htopCPUPercent, 2), fmt(row.cpuRatio, 2) + "x",
                fmt(row.dashboardRSSMiB, 1), fmt(row.htopRSSMiB, 1), fmt(row.rssRatio, 1) + "x",
                fmt(row.keyMillis.medianMillis, 1) + " / " + fmt(row.keyMillis.maxMillis, 1),
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for cells in table {
            lines.append(cells.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  "))
        }
        let slowKeys = rows.filter { $0.keyMillis.medianMillis > BenchScaleCommand.keyTarget }
        lines.append("keys: median under \(Int(BenchScaleCommand.keyTarget)) ms inside the dashboard (SHARDTOP_KEY_TIMES) at every size: "
            + (slowKeys.isEmpty ? "PASS" : "MISS at " + slowKeys.map { "\($0.nodes)" }.joined(separator: ", ") + " nodes"))
        lines.append("warm tick: every node asked CLUSTER NODES; dash tick: the dashboard's rule (every \(ClusterPoller.periodicTopologyTicks) ticks, or when CLUSTER INFO / role moved)")
        lines.append("ratios: cold snapshot and warm ticks over redis-cli --cluster check; CPU (all threads, /proc/PID/stat) and RSS (max VmRSS) over htop -d 10")
        for reason in missed { lines.append("MISSED: \(reason)") }
        for row in rows { lines.append("load before the \(row.nodes)-node lab: \(row.loadBeforeStart)") }
        lines.append("machine: nproc \(machine.nproc), \(machine.serverVersion) (\(machine.serverPath)), \(machine.redisCliVersion), \(machine.htopVersion), \(machine.kernel)")
        lines.append("command: \(invocation)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One block per figure, a bar per size for shardtop (#) and for the tool beside it (-),
    /// scaled to the largest value in the block, so the growth with node count is seen at a glance.
    func renderChart(width: Int = 40) -> String {
        struct Block {
            let title: String
            let unit: String
            let ours: (Row) -> Double
            let peer: ((Row) -> Double)?
        }
        let blocks = [
            Block(title: "cold snapshot (#) vs redis-cli --cluster check (-)", unit: "ms", ours: \.coldSnapshotMillis, peer: \.redisCliCheckMillis),
            Block(title: "warm poll tick (#) vs redis-cli --cluster check (-)", unit: "ms", ours: \.warmTickMillis, peer: \.redisCliCheckMillis),
            Block(title: "warm tick, dashboard's rule (#) vs redis-cli --cluster check (-)", unit: "ms", ours: \.warmTickPeriodicMillis, peer: \.redisCliCheckMillis),
            Block(title: "dashboard CPU (#) vs htop -d 10 (-)", unit: "% of a core", ours: \.dashboardCPUPercent, peer: \.htopCPUPercent),
            Block(title: "dashboard RSS (#) vs htop -d 10 (-)", unit: "MiB", ours: \.dashboardRSSMiB, peer: \.htopRSSMiB),
            Block(title: "key answered, median inside the dashboard (#)", unit: "ms", ours: { $0.keyMillis.medianMillis }, peer: nil),
            Block(title: "lab start (#)", unit: "s", ours: \.labStartSeconds, peer: nil),
        ]
        let label = rows.map { "\($0.nodes)".count }.max() ?? 3
        var lines: [String] = []
        for block in blocks {
            let all = rows.flatMap { row in [block.ours(row)] + (block.peer.map { [$0(row)] } ?? []) }.filter { $0.isFinite }
            let top = max(all.max() ?? 1, 1e-9)
            lines.append("\(block.title), \(block.unit)")
            for row in rows {
                let name = String(repeating: " ", count: label - "\(row.nodes)".count) + "\(row.nodes)"
                lines.append("  \(name) |" + bar(block.ours(row), top, width, "#") + " " + fmt(block.ours(row), 1))
                if let peer = block.peer {
                    lines.append("  " + String(repeating: " ", count: label) + " |" + bar(peer(row), top, width, "-") + " " + fmt(peer(row), 1))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func bar(_ value: Double, _ top: Double, _ width: Int, _ mark: Character) -> String {
        guard value.isFinite, value > 0 else { return "" }
        return String(repeating: mark, count: max(1, Int((value / top * Double(width)).rounded())))
    }

    private func fmt(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
