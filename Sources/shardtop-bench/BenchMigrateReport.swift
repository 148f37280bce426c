import ShardtopApp
import Foundation

/// Everything `bench migrate` prints, as a table or as JSON.
struct MigrateBenchReport: Codable {
    struct Run: Codable {
        var key: String
        var direction: String
        var seconds: Double
        /// shardtop's own figure from its "moved ... in X s" line: the engine alone, without process
        /// start, the first snapshot and the plan survey.
        var engineSeconds: Double?
    }

    struct Series: Codable {
        var key: String
        var label: String
        /// The exact command, A->B (B->A swaps the two nodes), or a description of the in-process loop.
        var command: String
        var secondsPerRun: [Double]
        var medianSeconds: Double
        var minSeconds: Double
        var maxSeconds: Double
        /// The interquartile range (25th and 75th percentiles): the spread that single slow runs do not stretch.
        var q1Seconds: Double
        var q3Seconds: Double
        var engineMedianSeconds: Double?
    }

    struct Ratio: Codable {
        var name: String
        var value: Double
        var target: Double
        /// true: value must be >= target (speed-up); false: value must be <= target (overhead).
        var atLeast: Bool
        var pass: Bool
    }

    struct Machine: Codable {
        var nproc: Int
        var serverPath: String
        var serverVersion: String
        var redisCliVersion: String
        var kernel: String
        var loadAverageBefore: String
        var loadAverageAfter: String
    }

    var invocation: String
    var engine: String
    var primaries: Int
    var replicasPerPrimary: Int
    var nodes: Int
    var keysPerSlot: Int
    var totalKeys: Int
    var loadSeconds: Double
    var source: String
    var target: String
    var slots: String
    var slotCount: Int
    var keysPerMove: Int
    var rounds: Int
    var order: String
    var series: [Series]
    var runs: [Run]
    var ratios: [Ratio]
    var notes: [String]
    var machine: Machine

    func renderTable() -> String {
        var lines: [String] = []
        lines.append("shardtop-bench migrate: \(machine.serverVersion), \(primaries) primaries x \(replicasPerPrimary) replica(s) = \(nodes) nodes, "
            + "\(totalKeys) keys (\(keysPerSlot) per slot over all 16384 slots), loaded in \(String(format: "%.1f", loadSeconds)) s")
        lines.append("moving the same \(slotCount) slots (\(slots), \(keysPerMove) keys) between A \(source) and B \(target), "
            + "directions alternating, \(rounds) run(s) of each tool in the order \(order)")
        let labelWidth = max(series.map(\.label.count).max() ?? 0, 10)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func num(_ value: Double) -> String {
            let text = String(format: "%.3f", value)
            return String(repeating: " ", count: max(0, 9 - text.count)) + text
        }
        lines.append(pad("", labelWidth + 2) + "   median       q1       q3      min      max   engine  (s)   runs")
        for entry in series {
            let engine = entry.engineMedianSeconds.map(num) ?? String(repeating: " ", count: 9)
            lines.append(pad(entry.label, labelWidth + 2) + num(entry.medianSeconds) + num(entry.q1Seconds) + num(entry.q3Seconds) + num(entry.minSeconds) + num(entry.maxSeconds) + engine
                + "       " + entry.secondsPerRun.map { String(format: "%.3f", $0) }.joined(separator: " "))
        }
        let ratioWidth = max(ratios.map(\.name.count).max() ?? 0, 10)
        for ratio in ratios {
            lines.append(pad(ratio.name, ratioWidth + 2) + String(format: "%7.2fx", ratio.value)
                + "  target \(ratio.atLeast ? ">=" : "<=") " + String(format: "%.2fx", ratio.target) + "  " + (ratio.pass ? "PASS" : "MISS"))
        }
        for note in notes { lines.append("note: \(note)") }
        lines.append("machine: nproc \(machine.nproc), load average \(machine.loadAverageBefore) before / \(machine.loadAverageAfter) after, "
            + "\(machine.serverVersion) (\(machine.serverPath)), \(machine.redisCliVersion), \(machine.kernel)")
        lines.append("command: \(invocation)")
        for entry in series { lines.append("  \(entry.key): \(entry.command)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
