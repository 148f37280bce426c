import Foundation

/// One timed run of the benches that drain a primary (`rebalance`, `drain`): shardtop (S) or
/// redis-cli (C), and the table both print, compared by keys per second.
struct DrainBenchRun: Sendable {
    enum Tool: String, Sendable { case shardtop = "S", redisCli = "C" }

    var tool: Tool
    var seconds: Double
    var keys: Int
    var slots: Int

    var keysPerSecond: Double { Double(keys) / max(seconds, 0.001) }

    static func table(_ runs: [DrainBenchRun], title: String, target: Double) -> String {
        var lines = [title, "run  tool  slots  keys     seconds  keys/s"]
        for (index, run) in runs.enumerated() {
            lines.append("\(index + 1)".padding(toLength: 5, withPad: " ", startingAt: 0) + run.tool.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
                + "\(run.slots)".padding(toLength: 7, withPad: " ", startingAt: 0) + "\(run.keys)".padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(format: "%-8.2f %.0f", run.seconds, run.keysPerSecond))
        }
        let rate = { (tool: Tool) in BenchSummary.median(runs.filter { $0.tool == tool }.map(\.keysPerSecond)) }
        let time = { (tool: Tool) in BenchSummary.median(runs.filter { $0.tool == tool }.map(\.seconds)) }
        let ratio = rate(.shardtop) / max(rate(.redisCli), 0.001)
        lines.append(String(format: "median: S %.2f s (%.0f keys/s), C %.2f s (%.0f keys/s); C/S = %.1fx by keys/s",
                            time(.shardtop), rate(.shardtop), time(.redisCli), rate(.redisCli), ratio)
                     + " (target >= \(Int(target))x: \(ratio >= target ? "met" : "NOT met"))")
        return lines.joined(separator: "\n")
    }
}
