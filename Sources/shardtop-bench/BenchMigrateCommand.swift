import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `shardtop-bench migrate`: on one lab cluster loaded with the same number of keys in every slot,
/// move the same slots back and forth with shardtop and with the tools an operator would otherwise
/// use, alternating tools and directions, and check the cluster after every run.
struct BenchMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Slot migration: shardtop migrate against redis-cli --cluster reshard (or the raw MIGRATESLOTS loop on Valkey).",
        discussion: """
        Starts a lab cluster (15 primaries x 1 replica by default), writes --keys-per-slot keys into \
        every one of the 16384 slots (one hash tag per slot, MSET per slot, pipelined over one \
        connection per primary), then moves the lowest --slots slots of the first primary A to the \
        next primary B and back, in alternating runs, so every run moves the same data. The slots are \
        the ones redis-cli --cluster reshard picks itself (the lowest of the source); shardtop is \
        given them explicitly with --slots.

        redis (default): S = `shardtop migrate --slots ... --to B --path legacy --yes` (the real \
        binary, spawned and timed, so process start, first snapshot and plan survey are included), \
        C = `redis-cli --cluster reshard` at its default pipeline (10 keys), D = the same with \
        --cluster-pipeline 1000. Targets: C/S >= 6x, D/S >= 4x.

        valkey (--engine valkey, 9.0+): T = `shardtop migrate ... --path atomic`, W = the same path \
        as the dashboard runs it after the operator confirms (in this process, on action connections \
        kept across runs; the plan and its survey happen before the clock, while the dashboard's \
        dialog is open), R = the raw loop (one CLUSTER MIGRATESLOTS SLOTSRANGE for the whole range \
        sent to the source over a warm connection, then CLUSTER GETSLOTMIGRATIONS every millisecond \
        until the job reports success), S = shardtop's legacy path for contrast. Target: T/R and \
        W/R <= 1.05x (T pays a cold process that W and R do not). The report gives each \
        tool's interquartile range and the median of the per-round T/R ratios (each T beside the R of \
        the same round), which the spread between rounds does not blur.

        After every run the bench waits until the cluster settles and checks: every node ok, no open \
        slot, all 16384 slots covered by the expected owners, `redis-cli --cluster check` clean, the \
        total key count (DBSIZE over primaries) unchanged and every moved key on its new owner. \
        Anything else aborts the bench. The lab is stopped by pid at the end, also on Ctrl-C. \
        Build with -c release first.
        """
    )

    enum Engine: String, ExpressibleByArgument, CaseIterable {
        case redis, valkey
    }

    @Option(help: "redis (legacy path against redis-cli reshard) or valkey (atomic path against the raw MIGRATESLOTS loop).")
    var engine: Engine = .redis

    @OptionGroup var shape: BenchLabArguments

    @Option(help: "Keys written into every slot.")
    var keysPerSlot = 160

    @Option(help: "Slots moved by every run.")
    var slots = 500

    @Option(help: "Measured runs of each tool.")
    var rounds = 3

    @Option(help: ArgumentHelp("Tools to run, comma-separated keys: S (shardtop legacy), C (redis-cli reshard), D (redis-cli reshard --cluster-pipeline 1000), T (shardtop atomic), W (shardtop atomic from the dashboard, in-process), R (raw MIGRATESLOTS loop). Default: S,C,D for redis, T,W,R,S for valkey.", valueName: "keys"))
    var tools: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Extra options for every `shardtop migrate` run, space-separated (e.g. \"--slots-per-round 64 --batch 500\"), for tuning trials.", valueName: "options"))
    var shardtopOptions: String?

    @Option(help: ArgumentHelp("Valkey: CONFIG SET cluster-slot-migration-log-max-len on every primary before the runs. Each run adds a job to the source's and the target's logs; with the default (1000) both tools slow down run by run (about 0.27 -> 0.5 s over 80 rounds), which makes a long run's medians depend on its length. 2 keeps every round alike.", valueName: "n"))
    var migrationLogLength: Int?

    @OptionGroup var cli: BenchRedisCliArgument

    @Flag(help: "Print the results as JSON (with every run) instead of a table.")
    var json = false

    static let cliDefaultTarget = 6.0
    static let cliPipelineTarget = 4.0
    static let atomicTarget = 1.05

    func validate() throws {
        try NumericOption.check(keysPerSlot, "--keys-per-slot", 0...100_000)
        try NumericOption.check(slots, "--slots", 1...hashSlotCount)
        try NumericOption.check(rounds, "--rounds", 1...1000)
        if let migrationLogLength { try NumericOption.check(migrationLogLength, "--migration-log-length", 0...100_000) }
    }

    func run() async throws {
        guard (1...100).contains(rounds) else { throw fail("--rounds must be between 1 and 100") }
        guard (1...10_000).contains(keysPerSlot) else { throw fail("--keys-per-slot must be between 1 and 10000") }
        guard (1...8192).contains(slots) else { throw fail("--slots must be between 1 and 8192") }
        guard shape.primaries >= 2 else { throw fail("--primaries must be at least 2 (a source and a target)") }
        guard migrationLogLength == nil || engine == .valkey else { throw fail("--migration-log-length is for --engine valkey (Redis has no atomic migration log)") }
        let chosen: [BenchMigrateTool]
        do { chosen = try BenchMigrateTool.parse(tools, engine: engine) } catch let error as BenchFailure { throw fail(error.message) }

        let serverPath = try shape.serverPath(engine: engine.rawValue)
        let cliPath = try cli.path()
        let selfPath = try BenchTools.shardtop()
        let extraShardtopOptions = (shardtopOptions ?? "").split(separator: " ").map(String.init)
        let report = try await BenchLab.measure(shape.options(serverPath: serverPath)) { lab in
            try await measure(Setup(lab: lab, serverPath: serverPath, cliPath: cliPath, selfPath: selfPath, tools: chosen,
                                    extraShardtopOptions: extraShardtopOptions))
        }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(report.renderTable().utf8))
        }
    }

    struct Setup: Sendable {
        let lab: LabCluster
        let serverPath: String
        let cliPath: String
        let selfPath: String
        let tools: [BenchMigrateTool]
        let extraShardtopOptions: [String]
    }

    /// One primary taking part in the moves.
    struct Side: Sendable {
        let id: String
        let address: NodeAddress
    }

    private func measure(_ setup: Setup) async throws -> MigrateBenchReport {
        let poller = ClusterPoller(seeds: [setup.lab.seed], options: ConnectionOptions(requestTimeout: .seconds(10)))
        let workDirectory = "\(setup.lab.directory)/bench"
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        var cluster = BenchMigrateCluster(seed: setup.lab.seed, poller: poller, cliPath: setup.cliPath,
                                          workDirectory: workDirectory, expectedNodes: setup.lab.nodes.count)
        do {
            let report = try await measure(setup, cluster: &cluster, workDirectory: workDirectory)
            cluster.close()
            await cluster.links.close()
            await poller.shutdown()
            return report
        } catch {
            cluster.close()
            await cluster.links.close()
            await poller.shutdown()
            throw error
        }
    }

    private func measure(_ setup: Setup, cluster: inout BenchMigrateCluster, workDirectory: String) async throws -> MigrateBenchReport {
        let lab = setup.lab
        // Ready: every node ok and covering all slots, then the full settle check (redis-cli agrees).
        printError("waiting until all \(lab.nodes.count) nodes are ok")
        var snapshot = await cluster.poller.tick().snapshot
        let deadline = ContinuousClock.now + .seconds(60)
        while BenchSnapshotCommand.problem(snapshot, expected: lab.nodes.count) != nil || snapshot.slotsCovered != hashSlotCount {
            if ContinuousClock.now > deadline {
                throw BenchFailure("cluster not ready within 60 s: \(BenchSnapshotCommand.problem(snapshot, expected: lab.nodes.count) ?? "slots not covered")")
            }
            try await Task.sleep(for: .milliseconds(200))
            snapshot = await cluster.poller.tick().snapshot
        }
        var owners = snapshot.slotOwners
        snapshot = try await cluster.waitSettled(expectedOwners: owners, after: "forming the cluster")
        let addressOf = Dictionary(uniqueKeysWithValues: snapshot.primaries.map { ($0.id, $0.address) })
        try await cluster.connect(snapshot.primaries.map(\.address))
        if let migrationLogLength { try await cluster.setMigrationLogLength(migrationLogLength) }

        // Load.
        let expectedTotal = hashSlotCount * keysPerSlot
        printError("loading \(keysPerSlot) keys into each of the \(hashSlotCount) slots (\(expectedTotal) keys) over \(addressOf.count) connections")
        let loadStarted = ContinuousClock.now
        let written = try await cluster.load(owners: owners, addressOf: addressOf, keysPerSlot: keysPerSlot)
        let loadSeconds = (ContinuousClock.now - loadStarted).benchSeconds
        let total = try await cluster.totalKeys()
        guard written == expectedTotal, total == expectedTotal else {
            throw BenchFailure("the load wrote \(written) keys and DBSIZE over the primaries says \(total), expected \(expectedTotal)")
        }
        printError("loaded \(total) keys in \(String(format: "%.1f", loadSeconds)) s (\(Int(Double(total) / loadSeconds)) keys/s)")
        try await waitForReplicas(cluster.poller, expected: lab.nodes.count)

        // A = the owner of slot 0, B = the owner of the slot right after A's block. The moved slots
        // are A's lowest, which is what redis-cli reshard picks from A, and from B on the way back
        // (they sit below B's own block).
        guard let aId = owners[0], let aAddress = addressOf[aId] else { throw BenchFailure("slot 0 has no owner") }
        let aSlots = (0..<hashSlotCount).filter { owners[$0] == aId }
        guard aSlots.count >= slots else { throw BenchFailure("A \(aAddress) owns \(aSlots.count) slots, fewer than --slots \(slots)") }
        guard let firstAfter = (0..<hashSlotCount).first(where: { owners[$0] != aId }), let bId = owners[firstAfter], let bAddress = addressOf[bId] else {
            throw BenchFailure("no second primary after A's slots")
        }
        let moved = Array(aSlots.prefix(slots))
        let bSlots = (0..<hashSlotCount).filter { owners[$0] == bId }
        guard let lowestB = bSlots.first, moved.last! < lowestB else {
            throw BenchFailure("the moved slots are not below B's own slots, so redis-cli would move other slots back")
        }
        let a = Side(id: aId, address: aAddress)
        let b = Side(id: bId, address: bAddress)
        let ranges = SlotRange.ranges(fromSortedSlots: moved)
        let rangeText = ranges.map { "\($0.start)-\($0.end)" }.joined(separator: ",")
        let keysPerMove = try await cluster.keys(in: moved, on: a.address)
        guard keysPerMove == slots * keysPerSlot else {
            throw BenchFailure("A holds \(keysPerMove) keys in slots \(rangeText), expected \(slots * keysPerSlot)")
        }

        let journalPath = "\(workDirectory)/journal.jsonl"
        let runner = BenchMigrateRunner(
            selfPath: setup.selfPath, cliPath: setup.cliPath, seed: lab.seed, slotCount: slots, rangeText: rangeText,
            ranges: ranges, journalPath: journalPath, extraShardtopOptions: setup.extraShardtopOptions, workDirectory: workDirectory
        )
        let loadBefore = Self.loadAverage()
        printError("moving slots \(rangeText) (\(keysPerMove) keys) between A \(a.address) and B \(b.address): "
            + "\(rounds) run(s) each of \(setup.tools.map(\.rawValue).joined(separator: ", ")), directions alternating")
        var runs: [MigrateBenchReport.Run] = []
        var holder = a
        var serverStats: [BenchMigrateTool: String] = [:]
        var runIndex = 0
        let runCount = rounds * setup.tools.count
        for round in 0..<rounds {
            // Directions alternate run by run; with an even number of tools that would give each
            // tool the same direction every round, so every other round runs them in reverse.
            let order = setup.tools.count % 2 == 0 && round % 2 == 1 ? setup.tools.reversed() : setup.tools
            for tool in order {
                try Task.checkCancellation()
                runIndex += 1
                let from = holder
                let to = holder.id == a.id ? b : a
                let direction = from.id == a.id ? "A->B" : "B->A"
                try await cluster.resetStats()
                let result = try await runner.run(tool, from: from, to: to, cluster: cluster)
                serverStats[tool] = BenchMigrateCluster.describe(try await cluster.migrationCommandStats())
                for slot in moved { owners[slot] = to.id }
                // Loud checks: settled as expected, nothing lost, every moved key on its new owner.
                _ = try await cluster.waitSettled(expectedOwners: owners, after: "run \(runIndex) (\(tool.rawValue) \(direction))")
                let totalAfter = try await cluster.totalKeys()
                guard totalAfter == expectedTotal else {
                    throw BenchFailure("after run \(runIndex) (\(tool.rawValue) \(direction)) DBSIZE over the primaries is \(totalAfter), expected \(expectedTotal)")
                }
                let arrived = try await cluster.keys(in: moved, on: to.address)
                guard arrived == keysPerMove else {
                    throw BenchFailure("after run \(runIndex) (\(tool.rawValue) \(direction)) the new owner holds \(arrived) keys in the moved slots, expected \(keysPerMove)")
                }
                let engine = result.engineSeconds.map { String(format: " (engine %.3f s)", $0) } ?? ""
                printError("run \(runIndex)/\(runCount): \(tool.rawValue) \(direction) \(String(format: "%.3f", result.seconds)) s\(engine); "
                    + "checked: settled, no open slot, \(hashSlotCount) slots covered, \(totalAfter) keys, \(arrived) on the new owner")
                runs.append(.init(key: tool.rawValue, direction: direction, seconds: result.seconds, engineSeconds: result.engineSeconds))
                holder = to
            }
        }
        let loadAfter = Self.loadAverage()

        // Figures.
        var series: [MigrateBenchReport.Series] = []
        var medians: [BenchMigrateTool: Double] = [:]
        for tool in setup.tools {
            let mine = runs.filter { $0.key == tool.rawValue }
            let seconds = mine.map(\.seconds)
            let summary = BenchSummary(millis: seconds)
            let engines = mine.compactMap(\.engineSeconds)
            medians[tool] = summary.medianMillis
            series.append(.init(
                key: tool.rawValue, label: "\(tool.rawValue) \(tool.label)", command: runner.describe(tool, from: a, to: b),
                secondsPerRun: seconds, medianSeconds: summary.medianMillis, minSeconds: summary.minMillis, maxSeconds: summary.maxMillis,
                q1Seconds: BenchSummary.percentile(seconds.sorted(), 0.25), q3Seconds: BenchSummary.percentile(seconds.sorted(), 0.75),
                engineMedianSeconds: engines.isEmpty ? nil : BenchSummary(millis: engines).medianMillis
            ))
        }
        var ratios: [MigrateBenchReport.Ratio] = []
        if let s = medians[.shardtopLegacy] {
            if let c = medians[.cliDefault] {
                ratios.append(.init(name: "redis-cli reshard (pipeline 10) / shardtop legacy", value: c / s, target: Self.cliDefaultTarget,
                                    atLeast: true, pass: c / s >= Self.cliDefaultTarget))
            }
            if let d = medians[.cliPipeline1000] {
                ratios.append(.init(name: "redis-cli reshard --cluster-pipeline 1000 / shardtop legacy", value: d / s, target: Self.cliPipelineTarget,
                                    atLeast: true, pass: d / s >= Self.cliPipelineTarget))
            }
        }
        if let t = medians[.shardtopAtomic], let r = medians[.rawMigrateSlots] {
            ratios.append(.init(name: "shardtop atomic / raw MIGRATESLOTS loop", value: t / r, target: Self.atomicTarget,
                                atLeast: false, pass: t / r <= Self.atomicTarget))
        }
        if let w = medians[.dashboardAtomic], let r = medians[.rawMigrateSlots] {
            ratios.append(.init(name: "shardtop atomic from the dashboard (warm) / raw MIGRATESLOTS loop", value: w / r, target: Self.atomicTarget,
                                atLeast: false, pass: w / r <= Self.atomicTarget))
        }
        var notes: [String] = []
        for numerator in [BenchMigrateTool.shardtopAtomic, .dashboardAtomic] {
            let sorted = Self.pairedRatios(runs, numerator: numerator, denominator: .rawMigrateSlots).sorted()
            guard !sorted.isEmpty else { continue }
            notes.append(String(format: "%@/R paired by round (%d pairs): median %.3fx, IQR %.3f-%.3fx, min %.3f, max %.3f", numerator.rawValue, sorted.count,
                                BenchSummary.percentile(sorted, 0.5), BenchSummary.percentile(sorted, 0.25), BenchSummary.percentile(sorted, 0.75),
                                sorted.first!, sorted.last!))
        }
        if let t = medians[.shardtopAtomic], let s = medians[.shardtopLegacy] {
            notes.append(String(format: "shardtop legacy / shardtop atomic on this server: %.2fx (no target; contrast only)", s / t))
        }
        for tool in [BenchMigrateTool.shardtopLegacy, .shardtopAtomic, .dashboardAtomic] {
            guard let entry = series.first(where: { $0.key == tool.rawValue }), let engine = entry.engineMedianSeconds else { continue }
            let rest = tool == .dashboardAtomic ? "the operation lease and the idle check of both nodes" : "process start, the first snapshot of all nodes and the plan survey"
            notes.append(String(format: "%@: engine median %.3f s of %.3f s; the rest (%.3f s) is %@",
                                tool.rawValue, engine, entry.medianSeconds, entry.medianSeconds - engine, rest))
        }
        for tool in setup.tools {
            if let stats = serverStats[tool] { notes.append("\(tool.rawValue) server time of its last run (INFO commandstats, summed over primaries): \(stats)") }
        }
        notes += BenchMigrateRunner.journalCommands(journalPath).map { "\($0.key) commands of its last run (journal): \($0.value)" }.sorted()

        let cliVersion = TimedProcess.capture(setup.cliPath, ["--version"]) ?? "redis-cli ?"
        let serverVersion = TimedProcess.capture(setup.serverPath, ["--version"]).map(BenchSnapshotCommand.shortVersion) ?? "?"
        let kernel = TimedProcess.capture("/bin/uname", ["-sr"]) ?? "?"
        return MigrateBenchReport(
            invocation: CommandLine.arguments.map(BenchSnapshotCommand.shellQuoted).joined(separator: " "),
            engine: engine.rawValue, primaries: shape.primaries, replicasPerPrimary: shape.replicas, nodes: lab.nodes.count,
            keysPerSlot: keysPerSlot, totalKeys: expectedTotal, loadSeconds: loadSeconds,
            source: a.address.description, target: b.address.description, slots: rangeText, slotCount: slots, keysPerMove: keysPerMove,
            rounds: rounds, order: setup.tools.map(\.rawValue).joined(separator: " ")
                + (setup.tools.count % 2 == 0 ? ", then " + setup.tools.reversed().map(\.rawValue).joined(separator: " ") + ", ... (so each tool runs both ways)" : " ..."),
            series: series, runs: runs, ratios: ratios, notes: notes,
            machine: .init(nproc: ProcessInfo.processInfo.activeProcessorCount, serverPath: setup.serverPath, serverVersion: serverVersion,
                           redisCliVersion: cliVersion, kernel: kernel, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter)
        )
    }

    /// The ratio of two tools' runs within each round (the i-th run of one over the i-th of the other).
    static func pairedRatios(_ runs: [MigrateBenchReport.Run], numerator: BenchMigrateTool, denominator: BenchMigrateTool) -> [Double] {
        let top = runs.filter { $0.key == numerator.rawValue }.map(\.seconds)
        let bottom = runs.filter { $0.key == denominator.rawValue }.map(\.seconds)
        return zip(top, bottom).map { $0 / $1 }
    }

    /// Waits until every replica holds as many keys as its primary, so replication of the load
    /// does not run during the first measured moves.
    private func waitForReplicas(_ poller: ClusterPoller, expected: Int) async throws {
        let started = ContinuousClock.now
        let deadline = started + .seconds(180)
        while true {
            try Task.checkCancellation()
            let snapshot = await poller.tick().snapshot
            let keysOf = Dictionary(uniqueKeysWithValues: snapshot.nodes.map { ($0.id, $0.keys ?? -1) })
            let behind = snapshot.nodes.filter { node in
                !node.isPrimary && (node.primaryId.flatMap { keysOf[$0] } ?? -2) != (node.keys ?? -1)
            }
            if behind.isEmpty && BenchSnapshotCommand.problem(snapshot, expected: expected) == nil {
                printError("replicas caught up after \(String(format: "%.1f", (ContinuousClock.now - started).benchSeconds)) s")
                return
            }
            if ContinuousClock.now > deadline { throw BenchFailure("\(behind.count) replica(s) still behind their primary 180 s after the load") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

extension Duration {
    var benchSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
