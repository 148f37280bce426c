import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis
import ShardtopUI
#if canImport(Glibc)
import Glibc
#endif

/// `shardtop-bench dashboard`: the live dashboard and `htop -d 10` side by side, each on its own
/// 120x40 pty, on one idle lab cluster; then the render time of a synthetic 1000-node snapshot.
struct BenchDashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Live dashboard vs htop -d 10 (CPU, RSS, tty bytes/s) and 1000-node render time.",
        discussion: """
        Starts a lab cluster and waits until every node is ok. Then runs `shardtop SEED --interval 1` \
        (this binary) and `htop -d 10` at the same time, each on its own 120x40 pseudo-terminal \
        (TERM=xterm-256color, LANG=C.UTF-8), warms up for 5 s (the first full draw is excluded), \
        and measures for --seconds: CPU % of one core (utime+stime of the whole process, every thread, \
        from /proc/PID/stat over the wall time), RSS (VmRSS), bytes written to each tty per second \
        while nothing runs on the cluster, and each thread's wake-ups per second (voluntary and \
        involuntary context switches from /proc/PID/task/*/status). Then the same again at \
        --fast-interval (default 0.25 s) beside htop at the nearest delay it can do that is not more \
        often (-d 3). \
        Both are quit with q, the lab is stopped, and DashboardRenderer.render is timed on every \
        screen of a synthetic 500x1 snapshot. Targets: CPU and tty bytes/s <= htop's, render <= 5 ms \
        per frame (slowest screen's median). Build with -c release first.
        """
    )

    @OptionGroup var shape: BenchLabArguments

    @Option(help: "Measured seconds (after a 5 s warm-up).")
    var seconds = 30


    @Option(help: ArgumentHelp("htop binary.", valueName: "path"))
    var htop = "/usr/bin/htop"

    @Option(help: ArgumentHelp("A second refresh interval to measure after the 1 s one (0: none).", valueName: "s"))
    var fastInterval = 0.25

    @Flag(help: "Print the results as JSON (with per-second samples) instead of a table.")
    var json = false

    @Flag(help: ArgumentHelp("Only time the render of the synthetic snapshot (for profiling); no lab, no ptys.", visibility: .hidden))
    var renderOnly = false

    static let columns = 120
    static let rows = 40
    static let warmupSeconds = 5
    static let renderTargetMillis = 5.0

    func validate() throws {
        try NumericOption.check(seconds, "--seconds", 1...86_400, unit: "s")
        if fastInterval != 0 { try NumericOption.check(fastInterval, "--fast-interval", 0.1...60, unit: "s") }
    }

    func run() async throws {
        guard (1...3600).contains(seconds) else { throw fail("--seconds must be between 1 and 3600") }
        if renderOnly {
            let render = DashboardRenderBench.run(
                primaries: 500, replicasPerPrimary: 1, width: Self.columns, height: Self.rows, warmupFrames: 20, frames: 200
            )
            printError(String(format: "setup %.2f s", render.setupSeconds))
            for timing in render.screens {
                print(timing.screen, String(format: "median %.3f  p99 %.3f  cpu median %.3f  cpu p99 %.3f ms",
                                            timing.summary.medianMillis, timing.p99Millis, timing.cpuMedianMillis, timing.cpuP99Millis))
            }
            return
        }
        let serverPath = try shape.serverPath()
        let htopPath = htop.contains("/") ? htop : TimedProcess.onPath(htop) ?? htop
        guard FileManager.default.isExecutableFile(atPath: htopPath) else {
            throw fail("no htop at \(htopPath) (install htop or pass --htop PATH)")
        }
        let selfPath = try BenchTools.shardtop()

        let interrupt = Interrupt()
        interrupt.install()
        let lab = try await interrupt.startLab(
            shape.options(serverPath: serverPath)
        )

        let live = LiveRun()
        let fastInterval = self.fastInterval
        let measuring = Task { () -> ((DashboardBenchReport.Program, DashboardBenchReport.Program), [DashboardBenchReport.IntervalRun]) in
            try await waitUntilReady(lab: lab)
            let main = try await measureLive(lab: lab, selfPath: selfPath, htopPath: htopPath, live: live, interval: 1, htopDelayTenths: 10)
            let mainSeconds = live.measuredSeconds
            var others: [DashboardBenchReport.IntervalRun] = []
            if fastInterval > 0 {
                let tenths = max(1, Int((fastInterval * 10).rounded(.up)))
                let fast = try await measureLive(lab: lab, selfPath: selfPath, htopPath: htopPath, live: live,
                                                 interval: fastInterval, htopDelayTenths: tenths)
                others.append(.init(intervalSeconds: fastInterval, htopDelayTenths: tenths, measuredSeconds: live.measuredSeconds,
                                    shardtop: fast.0, htop: fast.1))
            }
            live.measuredSeconds = mainSeconds
            return (main, others)
        }
        let programs: (DashboardBenchReport.Program, DashboardBenchReport.Program)
        let otherRuns: [DashboardBenchReport.IntervalRun]
        do {
            (programs, otherRuns) = try await interrupt.run(measuring)
            printError("stopping \(lab.nodes.count) lab nodes")
            lab.stop()
        } catch {
            // Whatever was started is ended before the lab goes, so nothing is left on a pty.
            live.quitAll()
            printError("stopping \(lab.nodes.count) lab nodes")
            lab.stop()
            if error is CancellationError || interrupt.wasSignalled {
                printError("interrupted")
                throw ExitCode(130)
            }
            throw fail((error as? BenchFailure)?.message ?? "\(error)")
        }

        printError("timing DashboardRenderer.render on a synthetic 500x1 snapshot")
        let render = DashboardRenderBench.run(
            primaries: 500, replicasPerPrimary: 1, width: Self.columns, height: Self.rows, warmupFrames: 20, frames: 200
        )
        let slowest = render.screens.map(\.summary.medianMillis).max() ?? .nan
        let (shardtopResult, htopResult) = programs

        var report = DashboardBenchReport(
            invocation: CommandLine.arguments.map(BenchSnapshotCommand.shellQuoted).joined(separator: " "),
            primaries: shape.primaries, replicasPerPrimary: shape.replicas, nodes: lab.nodes.count,
            columns: Self.columns, rows: Self.rows, intervalSeconds: 1,
            warmupSeconds: Double(Self.warmupSeconds), measuredSeconds: live.measuredSeconds,
            note: "nothing changes = no workload on the cluster; still, shardtop's header clock and its own polls "
                + "(ops/s, offsets) and htop's clock, meters and process list change every second",
            shardtop: shardtopResult, htop: htopResult, render: render,
            targets: [
                .init(name: "CPU % of one core (shardtop)", value: shardtopResult.cpuPercentOfOneCore,
                      target: htopResult.cpuPercentOfOneCore, unit: "%", pass: shardtopResult.cpuPercentOfOneCore <= htopResult.cpuPercentOfOneCore),
                .init(name: "tty bytes/s (shardtop)", value: shardtopResult.ttyBytesPerSecond,
                      target: htopResult.ttyBytesPerSecond, unit: "B/s", pass: shardtopResult.ttyBytesPerSecond <= htopResult.ttyBytesPerSecond),
                .init(name: "render, slowest screen's median", value: slowest, target: Self.renderTargetMillis, unit: "ms",
                      pass: slowest <= Self.renderTargetMillis),
            ],
            machine: .init(
                nproc: ProcessInfo.processInfo.activeProcessorCount, serverPath: serverPath,
                serverVersion: TimedProcess.capture(serverPath, ["--version"]).map(BenchSnapshotCommand.shortVersion) ?? "?",
                htopVersion: TimedProcess.capture(htopPath, ["--version"]) ?? "htop ?",
                kernel: TimedProcess.capture("/bin/uname", ["-sr"]) ?? "?",
                processes: live.processCount, loadAverage: live.loadAverage
            )
        )

        report.otherRuns = otherRuns

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(report.renderTable().utf8))
        }
        let failed = ([shardtopResult, htopResult] + otherRuns.flatMap { [$0.shardtop, $0.htop] }).filter { !$0.quit.exited || $0.quit.how != "q" }
        if !failed.isEmpty {
            printError("warning: " + failed.map { "\($0.name) did not quit on q (\($0.quit.how), \($0.quit.status))" }.joined(separator: "; "))
        }
    }

    // MARK: - The live part

    /// Also run by `bench scale` before each size's live part.
    func waitUntilReady(lab: LabCluster) async throws {
        let expected = lab.nodes.count
        printError("waiting until all \(expected) nodes are ok")
        let poller = ClusterPoller(seeds: [lab.seed], options: ConnectionOptions())
        do {
            // As long as the lab's own waits allow a stage: a minute, more at hundreds of nodes.
            let readySeconds = max(60, expected * 2 / 5)
            let deadline = ContinuousClock.now + .seconds(readySeconds)
            var lastProblem = ""
            while true {
                try Task.checkCancellation()
                let (snapshot, _) = await poller.tick()
                guard let problem = BenchSnapshotCommand.problem(snapshot, expected: expected) else { break }
                lastProblem = problem
                if ContinuousClock.now > deadline { throw BenchFailure("cluster not ready within \(readySeconds) s: \(lastProblem)") }
                try await Task.sleep(for: .milliseconds(200))
            }
            // The readiness poller goes away before anything is measured: only the two programs poll.
            await poller.shutdown()
        } catch {
            await poller.shutdown()
            throw error
        }
    }

    /// Also run by `bench scale` at each size: `extraEnvironment` goes to shardtop only, and
    /// `beforeQuit` runs on shardtop's pty once the figures are taken (to time keys, say).
    func measureLive(
        lab: LabCluster, selfPath: String, htopPath: String, live: LiveRun, interval: Double = 1, htopDelayTenths: Int = 10,
        extraEnvironment: [String: String] = [:], beforeQuit: (@Sendable (PtyProcess) async throws -> Void)? = nil
    ) async throws -> (DashboardBenchReport.Program, DashboardBenchReport.Program) {

        // Same terminal for both; a private HOME so htop neither reads nor rewrites the user's htoprc.
        let home = "\(lab.directory)/bench-home"
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        for name in ["LC_ALL", "LC_CTYPE", "LINES", "COLUMNS", "XDG_CONFIG_HOME", "HTOPRC", "SHARDTOP_THEMES", "NO_COLOR"] { environment[name] = nil }
        environment["TERM"] = "xterm-256color"
        environment["LANG"] = "C.UTF-8"
        environment["HOME"] = home

        let shardtopArguments = [lab.seed.description, "--interval", interval == 1 ? "1" : String(interval)]
        let htopArguments = ["-d", "\(htopDelayTenths)"]
        printError("starting shardtop and htop side by side on two \(Self.columns)x\(Self.rows) ptys")
        let a = try PtyProcess.spawn(name: "shardtop", path: selfPath, arguments: shardtopArguments,
                                     environment: environment.merging(extraEnvironment) { $1 }, columns: Self.columns, rows: Self.rows)
        live.add(a)
        let b = try PtyProcess.spawn(name: "htop", path: htopPath, arguments: htopArguments,
                                     environment: environment, columns: Self.columns, rows: Self.rows)
        live.add(b)
        let programs = [a, b]

        func checkRunning() throws {
            for program in programs where program.hasExited {
                let tail = program.printableTail
                throw BenchFailure("\(program.name) exited early (\(program.exitDescription))\(tail.isEmpty ? "" : ": \(tail.suffix(300))")")
            }
        }

        printError("warming up for \(Self.warmupSeconds) s")
        for _ in 0..<(Self.warmupSeconds * 10) {
            try await Task.sleep(for: .milliseconds(100))
            try checkRunning()
        }
        guard a.bytesWritten > 0, b.bytesWritten > 0 else {
            throw BenchFailure("no output on the pty after \(Self.warmupSeconds) s (shardtop \(a.bytesWritten) B, htop \(b.bytesWritten) B)")
        }

        printError("measuring for \(seconds) s")
        live.processCount = ProcStat.processCount()
        live.loadAverage = ProcStat.loadAverage()
        let startedAt = ContinuousClock.now
        var startTicks: [Int] = []
        var startBytes: [Int] = []
        let startThreads = programs.map { ThreadSample.take($0.pid) }
        for program in programs {
            guard let ticks = ProcStat.cpuTicks(program.pid) else { throw BenchFailure("\(program.name): /proc/\(program.pid)/stat unreadable") }
            startTicks.append(ticks)
            startBytes.append(program.bytesWritten)
        }
        var lastBytes = startBytes
        var perSecondBytes: [[Int]] = [[], []]
        var rssSamples: [[Int]] = [[], []]
        var endTicks = startTicks
        var endBytes = startBytes
        var endedAt = startedAt
        for second in 1...seconds {
            // Absolute deadlines, so sampling overhead does not stretch the interval.
            try await Task.sleep(until: startedAt + .seconds(second), clock: .continuous)
            try checkRunning()
            endedAt = ContinuousClock.now
            for (index, program) in programs.enumerated() {
                let bytes = program.bytesWritten
                perSecondBytes[index].append(bytes - lastBytes[index])
                lastBytes[index] = bytes
                endBytes[index] = bytes
                endTicks[index] = ProcStat.cpuTicks(program.pid) ?? endTicks[index]
                if let rss = ProcStat.statusKilobytes(program.pid, "VmRSS") { rssSamples[index].append(rss) }
            }
        }
        let endThreads = programs.map { ThreadSample.take($0.pid) }
        let wall = (endedAt - startedAt).millis / 1000
        live.measuredSeconds = wall

        if let beforeQuit { try await beforeQuit(a) }
        printError("quitting both with q")
        let outcomes = programs.map { $0.quit() }
        live.clear()
        for outcome in outcomes where !outcome.exited {
            throw BenchFailure("\(outcome.program) did not exit (\(outcome.how))")
        }

        func program(_ index: Int, _ process: PtyProcess) -> DashboardBenchReport.Program {
            let ticks = endTicks[index] - startTicks[index]
            let bytes = endBytes[index] - startBytes[index]
            return DashboardBenchReport.Program(
                name: process.name, command: process.commandLine, pid: process.pid,
                cpuPercentOfOneCore: Double(ticks) / ProcStat.clockTicksPerSecond / wall * 100,
                cpuTicks: ticks,
                rssEndKiB: rssSamples[index].last ?? 0, rssMaxKiB: rssSamples[index].max() ?? 0,
                ttyBytes: bytes, ttyBytesPerSecond: Double(bytes) / wall,
                ttyBytesPerSecondSamples: perSecondBytes[index], rssSamplesKiB: rssSamples[index],
                quit: outcomes[index],
                threads: ThreadSample.figures(from: startThreads[index], to: endThreads[index], seconds: wall)
            )
        }
        return (program(0, a), program(1, b))
    }
}

/// The programs on ptys, so an interrupt or a failure can end them before the lab stops.
final class LiveRun: @unchecked Sendable {
    private let lock = NSLock()
    private var programs: [PtyProcess] = []
    private var _measuredSeconds = 0.0
    private var _processCount = 0
    private var _loadAverage = "?"

    var measuredSeconds: Double {
        get { lock.withLock { _measuredSeconds } }
        set { lock.withLock { _measuredSeconds = newValue } }
    }

    var processCount: Int {
        get { lock.withLock { _processCount } }
        set { lock.withLock { _processCount = newValue } }
    }

    var loadAverage: String {
        get { lock.withLock { _loadAverage } }
        set { lock.withLock { _loadAverage = newValue } }
    }

    func add(_ program: PtyProcess) { lock.withLock { programs.append(program) } }
    func clear() { lock.withLock { programs.removeAll() } }

    func quitAll() {
        let running = lock.withLock { () -> [PtyProcess] in defer { programs.removeAll() }; return programs }
        for program in running { _ = program.quit() }
    }
}
