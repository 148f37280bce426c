import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `shardtop-bench tls`: what TLS costs. One lab whose nodes listen on a TLS port and a plaintext
/// port at once, so both sides measure the same servers in the same run: cold `snapshot --json`,
/// the warm tick, and the dashboard's CPU, each over plaintext and over TLS, alternating.
struct BenchTLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "TLS overhead: cold snapshot, warm tick and dashboard CPU, TLS against plaintext on one lab.",
        discussion: """
        Starts a lab whose nodes serve TLS and plaintext on two ports (cluster bus and replication \
        over TLS), then alternates A (cold `shardtop snapshot --json` over plaintext), B (the same over \
        TLS), C (one warm in-process poll over plaintext) and D (the same over TLS), and finally runs \
        two dashboards side by side on ptys, one per transport, counting each one's CPU (utime + stime \
        of the whole process). Prints the TLS/plaintext ratios (target: warm tick <= 1.3x). \
        Build with -c release first.
        """
    )

    @OptionGroup var shape: BenchLabArguments

    @Option(help: "Measured repetitions of each of A, B, C, D.")
    var repetitions = 20

    @Option(help: "Seconds the two dashboards are measured.")
    var seconds = 30


    static let warmTarget = 1.3

    func validate() throws {
        try NumericOption.check(repetitions, "--repetitions", 1...100_000)
        try NumericOption.check(seconds, "--seconds", 1...86_400, unit: "s")
    }

    func run() async throws {
        guard (1...10_000).contains(repetitions) else { throw fail("--repetitions must be between 1 and 10000") }
        guard (5...3600).contains(seconds) else { throw fail("--seconds must be between 5 and 3600") }
        let serverPath = try shape.serverPath()
        let selfPath = try BenchTools.shardtop()
        var options = shape.options(serverPath: serverPath)
        options.tls = true
        options.plaintextToo = true
        let lines = try await BenchLab.measure(options) { lab in try await measure(lab: lab, selfPath: selfPath) }
        print(lines.joined(separator: "\n"))
    }

    private func measure(lab: LabCluster, selfPath: String) async throws -> [String] {
        guard let tls = lab.tls, let plainPort = lab.nodes[0].plaintextPort else { throw BenchFailure("the lab has no TLS material") }
        let plainSeed = NodeAddress(host: "127.0.0.1", port: plainPort).description
        let tlsSeed = lab.seed.description
        let flags = tls.settings.commandLineFlags
        let plainPoller = ClusterPoller(seeds: [NodeAddress(host: "127.0.0.1", port: plainPort)], options: ConnectionOptions())
        let tlsPoller = ClusterPoller(seeds: [lab.seed], options: lab.connectionOptions)
        defer {
            Task { await plainPoller.shutdown() }
            Task { await tlsPoller.shutdown() }
        }
        printError("waiting until all \(lab.nodes.count) nodes are ok on both transports")
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            try Task.checkCancellation()
            let plain = BenchSnapshotCommand.problem(await plainPoller.tick().snapshot, expected: lab.nodes.count)
            let secure = BenchSnapshotCommand.problem(await tlsPoller.tick().snapshot, expected: lab.nodes.count)
            if plain == nil && secure == nil { break }
            if ContinuousClock.now > deadline { throw BenchFailure("cluster not ready within 90 s: \(plain ?? secure ?? "")") }
            try await Task.sleep(for: .milliseconds(200))
        }

        let stderrPath = "\(lab.directory)/bench-stderr.log"
        var samples: [[Double]] = [[], [], [], []]
        printError("measuring \(repetitions) rounds of A B C D")
        for round in 0..<(repetitions + 2) {
            let cold = [
                try await TimedProcess.run(selfPath, ["snapshot", plainSeed, "--json"], stderrPath: stderrPath),
                try await TimedProcess.run(selfPath, ["snapshot", tlsSeed, "--json"] + flags, stderrPath: stderrPath),
            ]
            for outcome in cold where !(outcome.exited && outcome.status == 0) {
                throw BenchFailure("snapshot exited \(outcome.status): \(TimedProcess.lastLine(of: stderrPath) ?? "")")
            }
            var warm: [Double] = []
            for poller in [plainPoller, tlsPoller] {
                let started = ContinuousClock.now
                let (snapshot, _) = await poller.tick()
                warm.append((ContinuousClock.now - started).millis)
                if let problem = BenchSnapshotCommand.problem(snapshot, expected: lab.nodes.count) { throw BenchFailure("warm tick: \(problem)") }
            }
            // The first two rounds warm caches and are not counted.
            guard round >= 2 else { continue }
            samples[0].append(cold[0].elapsed.millis)
            samples[1].append(cold[1].elapsed.millis)
            samples[2].append(warm[0])
            samples[3].append(warm[1])
        }
        let summaries = samples.map { BenchSummary(millis: $0) }

        printError("measuring two dashboards for \(seconds) s (1 s refresh, 120x40)")
        let cpu = try await dashboardCPU(lab: lab, selfPath: selfPath, plainSeed: plainSeed, flags: flags)

        func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
        let coldRatio = summaries[1].medianMillis / summaries[0].medianMillis
        let warmRatio = summaries[3].medianMillis / summaries[2].medianMillis
        let cpuRatio = cpu.tls / max(cpu.plaintext, 0.0001)
        return [
            "TLS overhead on one \(lab.nodes.count)-node lab (\(shape.primaries)x\(shape.replicas)), every node serving both transports; medians of \(repetitions) rounds",
            "figure                      plaintext    TLS          TLS/plaintext",
            "cold snapshot --json        \(fmt(summaries[0].medianMillis)) ms     \(fmt(summaries[1].medianMillis)) ms     \(fmt(coldRatio))x",
            "warm tick (in process)      \(fmt(summaries[2].medianMillis)) ms     \(fmt(summaries[3].medianMillis)) ms     \(fmt(warmRatio))x (target <= \(Self.warmTarget)x: \(warmRatio <= Self.warmTarget ? "PASS" : "MISS"))",
            "dashboard CPU, 1 s refresh  \(fmt(cpu.plaintext)) %      \(fmt(cpu.tls)) %      \(fmt(cpuRatio))x",
            "p10-p90: cold \(fmt(summaries[0].p10Millis))-\(fmt(summaries[0].p90Millis)) / \(fmt(summaries[1].p10Millis))-\(fmt(summaries[1].p90Millis)) ms; warm \(fmt(summaries[2].p10Millis))-\(fmt(summaries[2].p90Millis)) / \(fmt(summaries[3].p10Millis))-\(fmt(summaries[3].p90Millis)) ms",
            "load average at the end: \(ProcStat.loadAverage())",
        ]
    }

    /// CPU of two dashboards running side by side, in percent of one core over the same window.
    private func dashboardCPU(lab: LabCluster, selfPath: String, plainSeed: String, flags: [String]) async throws -> (plaintext: Double, tls: Double) {
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["LANG"] = "C.UTF-8"
        environment["XDG_STATE_HOME"] = "\(lab.directory)/bench-state"
        let programs = [
            try PtyProcess.spawn(name: "shardtop plaintext", path: selfPath, arguments: [plainSeed, "--interval", "1", "--read-only"],
                                 environment: environment, columns: 120, rows: 40),
            try PtyProcess.spawn(name: "shardtop tls", path: selfPath, arguments: [lab.seed.description, "--interval", "1", "--read-only"] + flags,
                                 environment: environment, columns: 120, rows: 40),
        ]
        defer { for program in programs { _ = program.quit() } }
        try await Task.sleep(for: .seconds(5))
        for program in programs where program.hasExited { throw BenchFailure("\(program.name) exited early: \(program.printableTail.suffix(200))") }
        let started = ContinuousClock.now
        let startTicks = programs.map { ProcStat.cpuTicks($0.pid) ?? 0 }
        try await Task.sleep(for: .seconds(seconds))
        let wall = (ContinuousClock.now - started).millis / 1000
        let endTicks = programs.map { ProcStat.cpuTicks($0.pid) ?? 0 }
        let percent = (0..<2).map { Double(endTicks[$0] - startTicks[$0]) / ProcStat.clockTicksPerSecond / wall * 100 }
        return (percent[0], percent[1])
    }
}
