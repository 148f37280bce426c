import Foundation
import ShardtopApp

/// Where a cold `shardtop snapshot SEED --json` spends its time: the command is spawned with
/// SHARDTOP_PHASES set, prints when each phase ended (see `PhaseLog`), and the phases are the
/// differences, from spawn to exit. Run apart from the timed rounds, so those stay unmarked.
enum ColdPhases {
    /// Phases in order: the mark that ends each, and what it covers.
    static let phases: [(mark: String, label: String)] = [
        ("main", "process start (exec, loader, static init) to main"),
        // `snapshot SEED --json` is a `PlainCommandLine`: this phase is then only its shape check.
        ("parsed", "argument parsing"),
        ("polled", "connect, discover and poll every node, parse, assemble"),
        ("closed", "close the connections"),
        ("findings", "findings"),
        ("encoded", "JSON encoding"),
        ("written", "write the document"),
        ("exit", "return from main to process exit"),
    ]

    struct Breakdown: Codable {
        var runs: Int
        /// Median milliseconds of each phase, in `phases` order.
        var medianMillis: [String: Double]
        var medianTotalMillis: Double
    }

    static func measure(_ executable: String, _ arguments: [String], runs: Int) throws -> Breakdown {
        var samples: [String: [Double]] = [:]
        var totals: [Double] = []
        let logPath = NSTemporaryDirectory() + "shardtop-phases-\(getpid()).log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        for _ in 0..<runs {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            guard let log = FileHandle(forWritingAtPath: logPath) else { throw BenchFailure("cannot write \(logPath)") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["SHARDTOP_PHASES": "1"]) { $1 }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = log
            let spawned = Date().timeIntervalSince1970
            try process.run()
            process.waitUntilExit()
            let ended = Date().timeIntervalSince1970
            try? log.close()
            guard process.terminationReason == .exit, process.terminationStatus == 0 else {
                throw BenchFailure("phases run of \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
            }
            var marks: [String: Double] = [:]
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count == 3, fields[0] == "phase", let time = Double(fields[2]) { marks[String(fields[1])] = time }
            }
            marks["exit"] = ended
            var previous = spawned
            for phase in phases {
                guard let time = marks[phase.mark] else { throw BenchFailure("phases run printed no '\(phase.mark)' mark") }
                samples[phase.mark, default: []].append((time - previous) * 1000)
                previous = time
            }
            totals.append((ended - spawned) * 1000)
        }
        return Breakdown(runs: runs, medianMillis: samples.mapValues(BenchSummary.median), medianTotalMillis: BenchSummary.median(totals))
    }

    static func render(_ breakdown: Breakdown) -> String {
        var lines = ["where a cold snapshot's time goes (median of \(breakdown.runs) runs with SHARDTOP_PHASES=1, ms):"]
        for phase in phases {
            let millis = breakdown.medianMillis[phase.mark] ?? 0
            lines.append(String(format: "  %7.2f  ", millis) + phase.label)
        }
        lines.append(String(format: "  %7.2f  total, spawn to exit (medians need not add up)", breakdown.medianTotalMillis))
        return lines.joined(separator: "\n") + "\n"
    }

}
