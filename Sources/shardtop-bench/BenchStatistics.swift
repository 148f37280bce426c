import ShardtopApp
import Foundation

/// Summary of one measured series, in milliseconds.
struct BenchSummary: Codable, Equatable {
    var count: Int
    var medianMillis: Double
    var p10Millis: Double
    var p90Millis: Double
    var meanMillis: Double
    var minMillis: Double
    var maxMillis: Double

    init(millis samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        medianMillis = Self.percentile(sorted, 0.5)
        p10Millis = Self.percentile(sorted, 0.1)
        p90Millis = Self.percentile(sorted, 0.9)
        meanMillis = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        minMillis = sorted.first ?? .nan
        maxMillis = sorted.last ?? .nan
    }

    /// The median of unsorted values (the middle one, or the mean of the two middle ones); 0 when
    /// there are none, for tables that print a row whatever ran.
    static func median(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : percentile(values.sorted(), 0.5)
    }

    /// Linear interpolation between closest ranks (the "type 7" estimator of R and NumPy).
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }
}

extension Duration {
    var millis: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

/// Everything `bench snapshot` prints, as a table or as JSON.
struct SnapshotBenchReport: Codable {
    struct Series: Codable {
        var key: String
        var label: String
        /// The exact command spawned, or a description of the in-process call.
        var command: String
        var summary: BenchSummary
        var samplesMillis: [Double]
    }

    struct Ratio: Codable {
        var name: String
        var value: Double
        var target: Double
        var pass: Bool
    }

    struct Machine: Codable {
        var nproc: Int
        var serverPath: String
        var serverVersion: String
        var redisCliVersion: String
        var kernel: String
    }

    var invocation: String
    var primaries: Int
    var replicasPerPrimary: Int
    var nodes: Int
    var warmup: Int
    var repetitions: Int
    var order: String
    var series: [Series]
    var ratios: [Ratio]
    /// Figures printed after the ratios, without a target.
    var notes: [String]? = nil
    var machine: Machine

    func renderTable() -> String {
        var lines: [String] = []
        lines.append("shardtop-bench snapshot: \(primaries) primaries x \(replicasPerPrimary) replica(s) = \(nodes) nodes, "
            + "\(warmup) warm-up + \(repetitions) alternating repetitions (\(order))")
        let labelWidth = max(series.map(\.label.count).max() ?? 0, 10)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func num(_ value: Double) -> String {
            let text = String(format: "%.2f", value)
            return String(repeating: " ", count: max(0, 9 - text.count)) + text
        }
        lines.append(pad("", labelWidth + 2) + "   median      p10      p90     mean  (ms)")
        for entry in series {
            let s = entry.summary
            lines.append(pad(entry.label, labelWidth + 2) + num(s.medianMillis) + num(s.p10Millis) + num(s.p90Millis) + num(s.meanMillis))
        }
        let ratioWidth = max(ratios.map(\.name.count).max() ?? 0, 10)
        for ratio in ratios {
            lines.append(pad(ratio.name, ratioWidth + 2) + String(format: "%6.3f", ratio.value)
                + "  target <= " + String(format: "%.2f", ratio.target) + "  " + (ratio.pass ? "PASS" : "MISS"))
        }
        lines += notes ?? []
        lines.append("machine: nproc \(machine.nproc), \(machine.serverVersion) (\(machine.serverPath)), \(machine.redisCliVersion), \(machine.kernel)")
        lines.append("command: \(invocation)")
        for entry in series { lines.append("  \(entry.key): \(entry.command)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
