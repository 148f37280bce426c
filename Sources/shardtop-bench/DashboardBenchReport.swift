import ShardtopApp
import Foundation

/// Everything `bench dashboard` prints, as a table or as JSON.
struct DashboardBenchReport: Codable {
    /// One program measured on its pty.
    struct Program: Codable {
        var name: String
        var command: String
        var pid: Int32
        var cpuPercentOfOneCore: Double
        var cpuTicks: Int
        var rssEndKiB: Int
        var rssMaxKiB: Int
        var ttyBytes: Int
        var ttyBytesPerSecond: Double
        /// Bytes written in each second of the measurement.
        var ttyBytesPerSecondSamples: [Int]
        var rssSamplesKiB: [Int]
        var quit: PtyProcess.QuitOutcome
        /// Every thread alive at the end of the measurement, most wake-ups first.
        var threads: [ThreadFigure] = []
        var wakeupsPerSecond: Double { threads.reduce(0) { $0 + $1.wakeupsPerSecond } }
    }

    /// One thread's wake-ups (context switches) and CPU per second while measured.
    struct ThreadFigure: Codable {
        var tid: Int
        var name: String
        var wakeupsPerSecond: Double
        var cpuPercentOfOneCore: Double
    }

    /// Another refresh interval, measured the same way on the same lab after the 1 s run.
    struct IntervalRun: Codable {
        var intervalSeconds: Double
        /// htop's -d, in tenths of a second: the nearest it can do that is not more often.
        var htopDelayTenths: Int
        var measuredSeconds: Double
        var shardtop: Program
        var htop: Program
    }

    struct Target: Codable {
        var name: String
        var value: Double
        var target: Double
        var unit: String
        var pass: Bool
    }

    struct Machine: Codable {
        var nproc: Int
        var serverPath: String
        var serverVersion: String
        var htopVersion: String
        var kernel: String
        var processes: Int
        /// /proc/loadavg when the measurement started (other work on the machine skews CPU figures).
        var loadAverage: String
    }

    var invocation: String
    var primaries: Int
    var replicasPerPrimary: Int
    var nodes: Int
    var columns: Int
    var rows: Int
    var intervalSeconds: Double
    var warmupSeconds: Double
    var measuredSeconds: Double
    var note: String
    var shardtop: Program
    var htop: Program
    var render: DashboardRenderBench.Result
    /// Runs at other intervals (by default 0.25 s), after the 1 s one.
    var otherRuns: [IntervalRun] = []
    var targets: [Target]
    var machine: Machine

    func renderTable() -> String {
        var lines: [String] = []
        lines.append("shardtop-bench dashboard: \(primaries) primaries x \(replicasPerPrimary) replica(s) = \(nodes) nodes, "
            + "\(columns)x\(rows) pty each, 1 s refresh, both side by side, \(fmt(warmupSeconds, 0)) s warm-up + \(fmt(measuredSeconds, 1)) s measured")
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        let label = 34
        lines.append(pad("", label) + right("shardtop", 10) + right("htop -d 10", 12))
        func row(_ name: String, _ a: String, _ b: String, _ verdict: String) {
            lines.append(pad(name, label) + right(a, 10) + right(b, 12) + (verdict.isEmpty ? "" : "   " + verdict))
        }
        func verdict(_ pass: Bool) -> String { pass ? "PASS" : "MISS" }
        row("CPU % of one core", fmt(shardtop.cpuPercentOfOneCore, 2), fmt(htop.cpuPercentOfOneCore, 2),
            "target shardtop <= htop  " + verdict(shardtop.cpuPercentOfOneCore <= htop.cpuPercentOfOneCore))
        row("RSS at end (MiB)", fmt(Double(shardtop.rssEndKiB) / 1024, 1), fmt(Double(htop.rssEndKiB) / 1024, 1), "no target")
        row("RSS max while measured (MiB)", fmt(Double(shardtop.rssMaxKiB) / 1024, 1), fmt(Double(htop.rssMaxKiB) / 1024, 1), "")
        row("tty bytes/s while nothing changes", fmt(shardtop.ttyBytesPerSecond, 0), fmt(htop.ttyBytesPerSecond, 0),
            "target shardtop <= htop  " + verdict(shardtop.ttyBytesPerSecond <= htop.ttyBytesPerSecond))
        row("threads", "\(shardtop.threads.count)", "\(htop.threads.count)", "")
        row("wake-ups/s, all threads", fmt(shardtop.wakeupsPerSecond, 1), fmt(htop.wakeupsPerSecond, 1), "")
        row("exit", shardtop.quit.how == "q" ? "q" : "forced", htop.quit.how == "q" ? "q" : "forced",
            "shardtop: \(shardtop.quit.status), htop: \(htop.quit.status)")
        lines.append("  \(note)")
        lines += threadLines(shardtop)
        for run in otherRuns {
            lines.append("at \(fmt(run.intervalSeconds, 2)) s refresh (htop -d \(run.htopDelayTenths)), \(fmt(run.measuredSeconds, 1)) s measured:")
            lines.append(pad("", label) + right("shardtop", 10) + right("htop -d \(run.htopDelayTenths)", 12))
            row("CPU % of one core", fmt(run.shardtop.cpuPercentOfOneCore, 2), fmt(run.htop.cpuPercentOfOneCore, 2),
                "ratio \(fmt(run.shardtop.cpuPercentOfOneCore / max(run.htop.cpuPercentOfOneCore, 0.001), 2))x; "
                + "vs htop -d 10 at 1 s: \(fmt(run.shardtop.cpuPercentOfOneCore / max(htop.cpuPercentOfOneCore, 0.001), 2))x")
            row("RSS max while measured (MiB)", fmt(Double(run.shardtop.rssMaxKiB) / 1024, 1), fmt(Double(run.htop.rssMaxKiB) / 1024, 1), "")
            row("tty bytes/s", fmt(run.shardtop.ttyBytesPerSecond, 0), fmt(run.htop.ttyBytesPerSecond, 0), "")
            row("threads", "\(run.shardtop.threads.count)", "\(run.htop.threads.count)", "")
            row("wake-ups/s, all threads", fmt(run.shardtop.wakeupsPerSecond, 1), fmt(run.htop.wakeupsPerSecond, 1), "")
            lines += threadLines(run.shardtop)
        }

        lines.append("render: synthetic \(render.nodes)-node snapshot (\(render.primaries) primaries x \(render.replicasPerPrimary) replica), "
            + "\(render.events) events, \(render.width)x\(render.height), \(render.warmupFrames) warm-up + \(render.frames) timed frames per screen")
        lines.append(pad("", 14) + "    wall: median     p90     p99     max   thread CPU: median     p99  (ms per frame)")
        func num(_ value: Double) -> String { right(fmt(value, 3), 8) }
        for timing in render.screens {
            let s = timing.summary
            lines.append(pad("  " + timing.screen, 14) + pad("", 6) + num(s.medianMillis) + num(s.p90Millis) + num(timing.p99Millis) + num(s.maxMillis)
                + pad("", 14) + num(timing.cpuMedianMillis) + num(timing.cpuP99Millis))
        }
        for target in targets where target.unit == "ms" {
            lines.append(pad(target.name, 34) + right(fmt(target.value, 3), 10) + " \(target.unit)  target <= " + fmt(target.target, 2)
                + " \(target.unit)  " + verdict(target.pass))
        }
        lines.append("machine: nproc \(machine.nproc), \(machine.processes) processes, load \(machine.loadAverage), \(machine.serverVersion) (\(machine.serverPath)), "
            + "\(machine.htopVersion), \(machine.kernel)")
        lines.append("command: \(invocation)")
        lines.append("  a: TERM=xterm-256color LANG=C.UTF-8 \(shardtop.command)")
        lines.append("  b: TERM=xterm-256color LANG=C.UTF-8 \(htop.command)")
        return lines.joined(separator: "\n") + "\n"
    }

    private func fmt(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    /// shardtop's threads, one line each: where its wake-ups and CPU go.
    private func threadLines(_ program: Program) -> [String] {
        ["  \(program.name) per thread (wake-ups/s, CPU % of one core):"]
            + program.threads.map { "    \($0.tid) \($0.name): \(fmt($0.wakeupsPerSecond, 1)) wake-ups/s, \(fmt($0.cpuPercentOfOneCore, 2)) %" }
    }
}
