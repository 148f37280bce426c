import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopProcess
import ShardtopRedis

/// `shardtop-bench snapshot`: on one lab cluster, in one run, alternate
/// A = cold `shardtop snapshot SEED --json`, B = `redis-cli --cluster check SEED`, C = one warm `poller.tick()`,
/// D = the same under the dashboard's rule, F = the floor for D's round trips (`FloorClient`).
struct BenchSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Cold snapshot and warm tick against redis-cli --cluster check on one lab cluster.",
        discussion: """
        Starts a lab cluster, waits until every node is ok, warms up, then runs A (cold \
        `shardtop snapshot SEED --json`), B (`redis-cli --cluster check SEED`), C (one in-process \
        poll of a warm poller), D (the same under the dashboard's rule: CLUSTER NODES only when due \
        or moved) and F (D's requests over plain sockets, replies framed and not parsed: the floor) \
        in turn, A B C D F A B C D F ..., and prints median, p10, p90 and mean of each with the ratios \
        to redis-cli (targets: cold <= 1.0x, warm <= 0.15x). Build with -c release first.
        """
    )

    @OptionGroup var shape: BenchLabArguments

    @Option(help: "Measured repetitions of each of A, B, C, D, F.")
    var repetitions = 20

    @Option(help: "Warm-up repetitions of each of A, B, C, D, F (not measured).")
    var warmup = 3

    @OptionGroup var cli: BenchRedisCliArgument

    @Flag(help: "Print the results as JSON (with every sample) instead of a table.")
    var json = false

    static let coldTarget = 1.0
    static let warmTarget = 0.15

    func validate() throws {
        try NumericOption.check(repetitions, "--repetitions", 1...100_000)
        try NumericOption.check(warmup, "--warmup", 0...100_000)
    }

    func run() async throws {
        guard (1...10_000).contains(repetitions) else { throw fail("--repetitions must be between 1 and 10000") }
        guard (0...1000).contains(warmup) else { throw fail("--warmup must be between 0 and 1000") }
        let serverPath = try shape.serverPath()
        let cliPath = try cli.path()
        let selfPath = try BenchTools.shardtop()
        let json = self.json
        let (report, phases) = try await BenchLab.measure(shape.options(serverPath: serverPath)) { lab in
            let report = try await measure(lab: lab, selfPath: selfPath, cliPath: cliPath, serverPath: serverPath)
            // Apart from the timed rounds: the same cold command with its phases marked.
            let phases = json ? nil : try ColdPhases.measure(selfPath, ["snapshot", lab.seed.description, "--json"], runs: 10)
            return (report, phases)
        }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(report.renderTable().utf8))
            if let phases { FileHandle.standardOutput.write(Data(ColdPhases.render(phases).utf8)) }
        }
    }

    /// Also run by `bench scale` at each size, on a lab it started.
    func measure(lab: LabCluster, selfPath: String, cliPath: String, serverPath: String) async throws -> SnapshotBenchReport {
        // A reply deadline that grows with the lab: 500 idle servers alone keep two cores busy, and
        // one late reply would otherwise fail the whole bench (1 s up to 100 nodes, 5 s at 500).
        let patient = ConnectionOptions(requestTimeout: .milliseconds(Int64(max(1000, lab.nodes.count * 10))))
        let poller = ClusterPoller(seeds: [lab.seed], options: patient)
        // D: the dashboard's poller, which asks CLUSTER NODES of a node only every few ticks when nothing moved.
        let periodic = ClusterPoller(seeds: [lab.seed], options: patient, topologyEveryTicks: ClusterPoller.periodicTopologyTicks)
        do {
            let report = try await measure(lab: lab, poller: poller, periodic: periodic, selfPath: selfPath, cliPath: cliPath, serverPath: serverPath)
            await poller.shutdown()
            await periodic.shutdown()
            return report
        } catch {
            await poller.shutdown()
            await periodic.shutdown()
            throw error
        }
    }

    private func measure(
        lab: LabCluster, poller: ClusterPoller, periodic: ClusterPoller, selfPath: String, cliPath: String, serverPath: String
    ) async throws -> SnapshotBenchReport {
        let seed = lab.seed.description
        let expected = lab.nodes.count
        let stderrPath = "\(lab.directory)/bench-stderr.log"
        let coldArguments = ["snapshot", seed, "--json"]
        let cliArguments = ["--cluster", "check", seed]

        // Ready: the poller sees every node ok, and redis-cli agrees (all nodes agree about slots).
        printError("waiting until all \(expected) nodes are ok")
        // As long as the lab's own waits allow a stage: a minute, more at hundreds of nodes.
        let readySeconds = max(60, expected * 2 / 5)
        let deadline = ContinuousClock.now + .seconds(readySeconds)
        var lastProblem = ""
        while true {
            try Task.checkCancellation()
            let (snapshot, _) = await poller.tick()
            if let problem = Self.problem(snapshot, expected: expected) {
                lastProblem = problem
            } else {
                let check = try await TimedProcess.run(cliPath, cliArguments, stderrPath: stderrPath)
                if check.exited && check.status == 0 { break }
                lastProblem = "redis-cli --cluster check exited \(check.status)"
            }
            if ContinuousClock.now > deadline { throw BenchFailure("cluster not ready within \(readySeconds) s: \(lastProblem)") }
            try await Task.sleep(for: .milliseconds(200))
        }

        var samples: [String: [Double]] = ["A": [], "B": [], "C": [], "D": [], "F": []]
        let (warmSnapshot, _) = await periodic.tick()
        // The floor's sockets come on top of the two pollers' connections and the lab's own
        // (`LabSize.filesHere` allows about four a node): at 500 nodes that is near a raised limit.
        OpenFileLimit.raise(toAtLeast: LabSize(nodes: expected).filesHere + expected)
        let floor = try FloorClient(addresses: warmSnapshot.nodes.map(\.address))
        let total = warmup + repetitions
        printError("running \(warmup) warm-up + \(repetitions) measured repetitions of A, B, C, D, F")
        for round in 0..<total {
            try Task.checkCancellation()
            let measured = round >= warmup

            let cold = try await TimedProcess.run(selfPath, coldArguments, stderrPath: stderrPath)
            guard cold.exited, cold.status == 0 else {
                let detail = TimedProcess.lastLine(of: stderrPath).map { ": \($0)" } ?? ""
                throw BenchFailure("A (shardtop snapshot --json) \(cold.exited ? "exited \(cold.status)" : "was killed by signal \(cold.status)")\(detail)")
            }

            let check = try await TimedProcess.run(cliPath, cliArguments, stderrPath: stderrPath)
            guard check.exited, check.status == 0 else {
                throw BenchFailure("B (redis-cli --cluster check) \(check.exited ? "exited \(check.status)" : "was killed by signal \(check.status)") on a cluster that was healthy")
            }

            let started = ContinuousClock.now
            let (snapshot, _) = await poller.tick()
            let warm = ContinuousClock.now - started
            if let problem = Self.problem(snapshot, expected: expected) {
                throw BenchFailure("C (warm tick): \(problem)")
            }

            let periodicStarted = ContinuousClock.now
            let (periodicSnapshot, _) = await periodic.tick()
            let periodicTick = ContinuousClock.now - periodicStarted
            if let problem = Self.problem(periodicSnapshot, expected: expected) {
                throw BenchFailure("D (warm tick, the dashboard's rule): \(problem)")
            }

            let floorStarted = ContinuousClock.now
            try floor.tick()
            let floorTick = ContinuousClock.now - floorStarted

            if measured {
                samples["F"]!.append(floorTick.millis)
                samples["D"]!.append(periodicTick.millis)
                samples["A"]!.append(cold.elapsed.millis)
                samples["B"]!.append(check.elapsed.millis)
                samples["C"]!.append(warm.millis)
            }
        }

        let a = BenchSummary(millis: samples["A"]!)
        let b = BenchSummary(millis: samples["B"]!)
        let c = BenchSummary(millis: samples["C"]!)
        let d = BenchSummary(millis: samples["D"]!)
        let f = BenchSummary(millis: samples["F"]!)
        let coldRatio = a.medianMillis / b.medianMillis
        let warmRatio = c.medianMillis / b.medianMillis
        let cliVersion = TimedProcess.capture(cliPath, ["--version"]) ?? "redis-cli ?"
        let serverVersion = TimedProcess.capture(serverPath, ["--version"]).map(Self.shortVersion) ?? "?"
        let kernel = TimedProcess.capture("/bin/uname", ["-sr"]) ?? "?"

        return SnapshotBenchReport(
            invocation: CommandLine.arguments.map(Self.shellQuoted).joined(separator: " "),
            primaries: lab.options.primaries,
            replicasPerPrimary: lab.options.replicasPerPrimary,
            nodes: expected,
            warmup: warmup,
            repetitions: repetitions,
            order: "A B C D F A B C D F ...",
            series: [
                .init(key: "A", label: "A cold  shardtop snapshot --json", command: ([selfPath] + coldArguments).joined(separator: " "),
                      summary: a, samplesMillis: samples["A"]!),
                .init(key: "B", label: "B       redis-cli --cluster check", command: ([cliPath] + cliArguments).joined(separator: " "),
                      summary: b, samplesMillis: samples["B"]!),
                .init(key: "C", label: "C warm  poller.tick()", command: "in-process ClusterPoller.tick() on a poller kept warm (\(expected) connections)",
                      summary: c, samplesMillis: samples["C"]!),
                .init(key: "D", label: "D warm  tick, dashboard's rule", command: "in-process ClusterPoller.tick() with topologyEveryTicks \(ClusterPoller.periodicTopologyTicks) (CLUSTER NODES only when due or moved)",
                      summary: d, samplesMillis: samples["D"]!),
                .init(key: "F", label: "F floor tick, writes and reads only", command: "in-process: D's steady request to every node over plain sockets, replies framed, not parsed (FloorClient)",
                      summary: f, samplesMillis: samples["F"]!),
            ],
            ratios: [
                .init(name: "cold snapshot / redis-cli check", value: coldRatio, target: Self.coldTarget, pass: coldRatio <= Self.coldTarget),
                .init(name: "warm tick / redis-cli check", value: warmRatio, target: Self.warmTarget, pass: warmRatio <= Self.warmTarget),
                .init(name: "warm tick, dashboard's rule / redis-cli check", value: d.medianMillis / b.medianMillis, target: Self.warmTarget,
                      pass: d.medianMillis / b.medianMillis <= Self.warmTarget),
            ],
            notes: [
                String(format: "the floor (F) / redis-cli check: %.3f; D is %.2f ms above it (shardtop's own work in a warm tick)",
                       f.medianMillis / b.medianMillis, d.medianMillis - f.medianMillis),
            ],
            machine: .init(nproc: ProcessInfo.processInfo.activeProcessorCount, serverPath: serverPath,
                           serverVersion: serverVersion, redisCliVersion: cliVersion, kernel: kernel)
        )
    }

    /// Why a snapshot is not "all nodes ok", or nil when it is.
    static func problem(_ snapshot: ClusterSnapshot, expected: Int) -> String? {
        if let bad = snapshot.nodes.first(where: { $0.error != nil }) {
            return "\(bad.address): \(bad.error ?? "")"
        }
        if let bad = snapshot.nodes.first(where: { $0.health != .ok }) {
            return "\(bad.address) is \(bad.health.rawValue)"
        }
        if snapshot.nodes.count != expected {
            return "\(snapshot.nodes.count) of \(expected) nodes seen"
        }
        if snapshot.state != "ok" { return "cluster_state is \(snapshot.state)" }
        return nil
    }

    /// "Redis server v=7.0.15 sha=... " -> "redis-server 7.0.15".
    static func shortVersion(_ text: String) -> String {
        let name = text.lowercased().hasPrefix("valkey") ? "valkey-server" : "redis-server"
        if let field = text.split(separator: " ").first(where: { $0.hasPrefix("v=") }) {
            return "\(name) \(field.dropFirst(2))"
        }
        return text
    }

    static func shellQuoted(_ argument: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+")
        if !argument.isEmpty, argument.unicodeScalars.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A one-line reason the benchmark stopped.
struct BenchFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
