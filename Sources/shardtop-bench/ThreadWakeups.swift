import Foundation

/// Each thread of a process as /proc shows it: its name, how often it was switched out (voluntary
/// and involuntary context switches: each one is a wake-up after it) and its CPU ticks. Two samples
/// give wake-ups per second per thread, the figure issue 12 asks to cut for an idle dashboard.
struct ThreadSample {
    struct Thread {
        var name: String
        var switches: Int
        var ticks: Int
    }

    var threads: [Int: Thread]

    static func take(_ pid: pid_t) -> ThreadSample {
        let directory = "/proc/\(pid)/task"
        var threads: [Int: Thread] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let tid = Int(entry),
                  let status = try? String(contentsOfFile: "\(directory)/\(entry)/status", encoding: .utf8) else { continue }
            var name = "?"
            var switches = 0
            for line in status.split(separator: "\n") {
                if line.hasPrefix("Name:") {
                    name = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("voluntary_ctxt_switches:") || line.hasPrefix("nonvoluntary_ctxt_switches:") {
                    switches += Int(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
                }
            }
            threads[tid] = Thread(name: name, switches: switches, ticks: ThreadSample.ticks("\(directory)/\(entry)/stat") ?? 0)
        }
        return ThreadSample(threads: threads)
    }

    private static func ticks(_ path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// Per thread alive at the end: wake-ups and CPU over `seconds`, busiest first. A thread born
    /// during the window counts from zero.
    static func figures(from start: ThreadSample, to end: ThreadSample, seconds: Double) -> [DashboardBenchReport.ThreadFigure] {
        end.threads.map { tid, thread in
            let before = start.threads[tid]
            return DashboardBenchReport.ThreadFigure(
                tid: tid, name: thread.name,
                wakeupsPerSecond: Double(thread.switches - (before?.switches ?? 0)) / seconds,
                cpuPercentOfOneCore: Double(thread.ticks - (before?.ticks ?? 0)) / ProcStat.clockTicksPerSecond / seconds * 100
            )
        }
        .sorted { ($0.wakeupsPerSecond, $1.tid) > ($1.wakeupsPerSecond, $0.tid) }
    }
}
