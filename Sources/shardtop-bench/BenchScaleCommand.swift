import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `shardtop-bench scale`: how shardtop grows with the cluster. At each size it starts a real lab,
/// runs the `snapshot` bench (cold snapshot, redis-cli --cluster check, warm tick) and the live
/// part of the `dashboard` bench (shardtop beside htop -d 10) on it, times keys inside the
/// dashboard while it polls every node each second, and stops the lab before the next size.
struct BenchScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Snapshot, warm tick, dashboard CPU/RSS and key times at several cluster sizes.",
        discussion: """
        For each size in --sizes (nodes; primaries = size / (1 + --replicas)): starts a lab and times \
        its start, runs the snapshot bench's A B C rounds (cold `shardtop snapshot --json`, \
        `redis-cli --cluster check`, one warm in-process poll), then the dashboard bench's live part \
        (shardtop SEED --interval 1 and htop -d 10 side by side on 120x40 ptys, CPU over all threads \
        from /proc/PID/stat, RSS), then types keys into the dashboard and reads how long each took \
        (SHARDTOP_KEY_TIMES). Prints a table of ratios to redis-cli and htop and a text chart of how \
        each grows. Sizes run smallest first; each lab is stopped (by pid) before the next starts. \
        Build with -c release first.
        """
    )

    @Option(help: ArgumentHelp("Cluster sizes in nodes, comma-separated.", valueName: "n,n,..."))
    var sizes = "100,250,500"

    @Option(help: "Replicas per primary.")
    var replicas = 1

    @Option(help: "Measured repetitions of each snapshot round (A, B, C) per size.")
    var repetitions = 5

    @Option(help: "Warm-up repetitions per size (not measured).")
    var warmup = 1

    @Option(help: "Measured seconds of the dashboard beside htop per size (after a 5 s warm-up).")
    var seconds = 20

    @Option(help: ArgumentHelp("cluster-node-timeout of the labs (default: the lab's own choice for the size).", valueName: "ms"))
    var nodeTimeout: Int?

    @Option(help: ArgumentHelp("Server binary (default: redis-server, then valkey-server, on PATH).", valueName: "path"))
    var server: String?

    @OptionGroup var cli: BenchRedisCliArgument

    @Option(help: ArgumentHelp("htop binary.", valueName: "path"))
    var htop = "/usr/bin/htop"

    @Flag(help: "Print the results as JSON instead of a table and chart.")
    var json = false

    /// Keys typed into the dashboard at each size: screen switches and moves on the node list.
    static let keys = ["2", "1", "5", "1", "2", "\u{1b}[B", "\u{1b}[B", "\u{1b}[6~", "\u{1b}[A", "1", "5", "2", "1"]
    static let keyTarget = 100.0

    func validate() throws {
        try NumericOption.check(replicas, "--replicas", 0...5)
        try NumericOption.check(repetitions, "--repetitions", 1...10_000)
        try NumericOption.check(warmup, "--warmup", 0...1000)
        try NumericOption.check(seconds, "--seconds", 1...3600, unit: "s")
        try NumericOption.check(nodeTimeout, "--node-timeout", 100...600_000, unit: "ms")
        for size in try Self.parseSizes(sizes) {
            guard size % (1 + replicas) == 0 else {
                throw ValidationError("--sizes: \(size) nodes is not a whole number of shards of \(1 + replicas) nodes (--replicas \(replicas))")
            }
            try LabShape.check(primaries: size / (1 + replicas), replicas: replicas)
        }
    }

    static func parseSizes(_ text: String) throws(ValidationError) -> [Int] {
        var sizes: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let size = Int(part.trimmingCharacters(in: .whitespaces)), size >= 1 else {
                throw ValidationError("--sizes must be node counts separated by commas, like 100,250,500 (not \"\(part)\")")
            }
            sizes.append(size)
        }
        guard !sizes.isEmpty else { throw ValidationError("--sizes needs at least one size") }
        return Array(Set(sizes)).sorted()
    }

    func run() async throws {
        let serverPath: String
        do { serverPath = try ServerBinary.find(explicit: server) } catch { throw fail("\(error)") }
        let cliPath = try cli.path()
        let htopPath = htop.contains("/") ? htop : TimedProcess.onPath(htop) ?? htop
        guard FileManager.default.isExecutableFile(atPath: htopPath) else {
            throw fail("no htop at \(htopPath) (install htop or pass --htop PATH)")
        }
        let selfPath = try BenchTools.shardtop()
        let sizes: [Int]
        do { sizes = try Self.parseSizes(self.sizes) } catch { throw fail(error.message) }

        let interrupt = Interrupt()
        interrupt.install()
        var rows: [ScaleBenchReport.Row] = []
        var missed: [String] = []
        for size in sizes {
            let primaries = size / (1 + replicas)
            printError("== \(size) nodes (\(primaries) primaries x \(replicas) replica(s)) ==")
            var options = LabCluster.Options(serverPath: serverPath, primaries: primaries, replicasPerPrimary: replicas)
            options.nodeTimeoutMillis = nodeTimeout ?? LabSize(nodes: size).defaultNodeTimeoutMillis
            let loadBefore = ProcStat.loadAverage()
            let started = ContinuousClock.now
            let lab: LabCluster
            do {
                lab = try await interrupt.startLab(options)
            } catch {
                if error.rawValue == 130 || interrupt.wasSignalled { throw error }
                // A size whose lab does not form is reported beside the sizes that did, not instead of them
                // (why it did not was printed just above).
                let reason = "\(size) nodes: the lab did not form (its error is printed above)"
                missed.append(reason)
                continue
            }
            let labStart = (ContinuousClock.now - started).millis / 1000
            let live = LiveRun()
            let measuring = Task {
                try await measure(lab: lab, primaries: primaries, selfPath: selfPath, cliPath: cliPath,
                                  serverPath: serverPath, htopPath: htopPath, live: live)
            }
            do {
                var row = try await interrupt.run(measuring)
                row.labStartSeconds = labStart
                row.loadBeforeStart = loadBefore
                rows.append(row)
                printError("stopping \(lab.nodes.count) lab nodes")
                lab.stop()
            } catch {
                live.quitAll()
                printError("stopping \(lab.nodes.count) lab nodes")
                lab.stop()
                if error is CancellationError || interrupt.wasSignalled {
                    printError("interrupted")
                    throw ExitCode(130)
                }
                let reason = "\(size) nodes: \((error as? BenchFailure)?.message ?? "\(error)")"
                printError(reason)
                missed.append(reason)
            }
        }
        guard !rows.isEmpty else { throw fail(missed.joined(separator: "; ")) }

        let report = ScaleBenchReport(
            invocation: CommandLine.arguments.map(BenchSnapshotCommand.shellQuoted).joined(separator: " "),
            replicasPerPrimary: replicas, repetitions: repetitions, warmup: warmup, dashboardSeconds: seconds,
            rows: rows, missed: missed,
            machine: .init(
                nproc: ProcessInfo.processInfo.activeProcessorCount, serverPath: serverPath,
                serverVersion: TimedProcess.capture(serverPath, ["--version"]).map(BenchSnapshotCommand.shortVersion) ?? "?",
                redisCliVersion: TimedProcess.capture(cliPath, ["--version"]) ?? "redis-cli ?",
                htopVersion: TimedProcess.capture(htopPath, ["--version"]) ?? "htop ?",
                kernel: TimedProcess.capture("/bin/uname", ["-sr"]) ?? "?"
            )
        )
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data((report.renderTable() + "\n" + report.renderChart()).utf8))
        }
        if !missed.isEmpty { throw ExitCode(1) }
    }

    /// One size: the snapshot bench, the size of what every node answers to CLUSTER NODES, then
    /// the dashboard bench with keys typed before it quits.
    private func measure(
        lab: LabCluster, primaries: Int, selfPath: String, cliPath: String, serverPath: String, htopPath: String, live: LiveRun
    ) async throws -> ScaleBenchReport.Row {
        let shape = ["--primaries", "\(primaries)", "--replicas", "\(replicas)"]
        let snapshotBench = try BenchSnapshotCommand.parse(shape + ["--repetitions", "\(repetitions)", "--warmup", "\(warmup)"])
        let snapshot = try await snapshotBench.measure(lab: lab, selfPath: selfPath, cliPath: cliPath, serverPath: serverPath)
        let nodesReplyBytes = try await Self.clusterNodesReplyBytes(lab)

        let timesPath = "\(lab.directory)/key-times.log"
        let dashboardBench = try BenchDashboardCommand.parse(shape + ["--seconds", "\(seconds)", "--htop", htopPath])
        try await dashboardBench.waitUntilReady(lab: lab)
        let (shardtop, htop) = try await dashboardBench.measureLive(
            lab: lab, selfPath: selfPath, htopPath: htopPath, live: live,
            extraEnvironment: ["SHARDTOP_KEY_TIMES": timesPath],
            beforeQuit: { pty in try await Self.typeKeys(into: pty) }
        )
        let keyMillis = ((try? String(contentsOfFile: timesPath, encoding: .utf8)) ?? "").split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.flatMap { Double($0) } }
        guard !keyMillis.isEmpty else { throw BenchFailure("the dashboard logged no key times to \(timesPath)") }

        func median(_ key: String) -> Double { snapshot.series.first { $0.key == key }?.summary.medianMillis ?? .nan }
        return ScaleBenchReport.Row(
            nodes: lab.nodes.count, primaries: primaries, labStartSeconds: 0, loadBeforeStart: "",
            coldSnapshotMillis: median("A"), redisCliCheckMillis: median("B"), warmTickMillis: median("C"),
            warmTickPeriodicMillis: median("D"), clusterNodesReplyBytes: nodesReplyBytes,
            dashboardCPUPercent: shardtop.cpuPercentOfOneCore, htopCPUPercent: htop.cpuPercentOfOneCore,
            dashboardRSSMiB: Double(shardtop.rssMaxKiB) / 1024, htopRSSMiB: Double(htop.rssMaxKiB) / 1024,
            keyMillis: BenchSummary(millis: keyMillis), keySamplesMillis: keyMillis
        )
    }

    /// Keys a few hundred milliseconds apart (more than the 100 ms each may take), so each is
    /// answered on its own; the dashboard is polling every node each second meanwhile.
    static func typeKeys(into pty: PtyProcess) async throws {
        printError("typing \(keys.count) keys into the dashboard")
        for key in keys {
            pty.type(key)
            try await Task.sleep(for: .milliseconds(400))
            if pty.hasExited { throw BenchFailure("shardtop exited while keys were typed (\(pty.exitDescription))") }
        }
        try await Task.sleep(for: .milliseconds(500))
    }

    /// Bytes of one node's CLUSTER NODES reply; every node sends about as much on every full poll.
    static func clusterNodesReplyBytes(_ lab: LabCluster) async throws -> Int {
        let connection = try await RedisConnection.connect(to: lab.seed, options: lab.connectionOptions)
        defer { connection.close() }
        return try await connection.send([["CLUSTER", "NODES"]]).first?.string?.utf8.count ?? 0
    }
}
