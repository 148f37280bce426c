import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `shardtop-bench rebalance`: drain one primary of a loaded lab to weight 0 with `shardtop
/// rebalance --weight NODE=0` and with `redis-cli --cluster rebalance --cluster-weight ID=0`,
/// alternating, and check after every run that nothing was lost.
struct BenchRebalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebalance",
        abstract: "Draining a primary to weight 0: shardtop rebalance (moves in parallel) against redis-cli --cluster rebalance.",
        discussion: """
        Starts a lab (15 primaries x 1 replica by default), writes --keys-per-slot keys into every \
        slot, then drains one primary per run to weight 0: the one owning the most slots (never the \
        seed), so runs move about the same data; runs alternate S C C S S C ... so neither tool \
        always goes first. S = `shardtop rebalance SEED --weight NODE=0 --yes` (the real binary, \
        timed from spawn to exit; its moves to the other primaries run up to --parallel-moves at \
        once); C = `redis-cli --cluster rebalance SEED --cluster-weight ID=0` at redis-cli's \
        defaults. A drained primary becomes a replica (cluster-allow-replica-migration), so each run \
        drains a different one, and runs are compared by keys per second. Target: C/S >= 5x.

        Before and after every run the keys are counted (DBSIZE over the primaries); after it, the \
        drained primary must own no slot, no slot may be open, every node ok, and `redis-cli \
        --cluster check` clean. Anything else aborts the bench. Build with -c release first.
        """
    )

    @OptionGroup var shape: BenchLabArguments

    @Option(help: "Keys written into every slot.")
    var keysPerSlot = 160

    @Option(help: "Measured runs of each tool.")
    var rounds = 2

    @Option(help: ArgumentHelp("shardtop rebalance --parallel-moves (default: shardtop's own default).", valueName: "n"))
    var parallelMoves: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Extra options for every `shardtop rebalance` run, space-separated.", valueName: "options"))
    var shardtopOptions: String?

    @OptionGroup var cli: BenchRedisCliArgument

    static let target = 5.0

    func validate() throws {
        try NumericOption.check(keysPerSlot, "--keys-per-slot", 1...10_000)
        try NumericOption.check(rounds, "--rounds", 1...20)
        try NumericOption.check(parallelMoves, "--parallel-moves", 1...64)
        guard shape.primaries > 2 * rounds + 1 else { throw ValidationError("--primaries must be above 2 x --rounds + 1 (one primary is drained per run)") }
    }

    typealias Tool = DrainBenchRun.Tool
    typealias Run = DrainBenchRun

    func run() async throws {
        let serverPath = try shape.serverPath()
        let cliPath = try cli.path()
        let selfPath = try BenchTools.shardtop()
        let (runs, loadBefore) = try await BenchLab.measure(shape.options(serverPath: serverPath)) { lab in
            let loadBefore = BenchMigrateCommand.loadAverage()
            return (try await measure(lab, cliPath: cliPath, selfPath: selfPath), loadBefore)
        }
        print(Self.table(runs, nodes: shape.primaries * (1 + shape.replicas), keysPerSlot: keysPerSlot))
        print("load average before \(loadBefore), after \(BenchMigrateCommand.loadAverage()); \(ProcessInfo.processInfo.activeProcessorCount) cores")
    }

    private func measure(_ lab: LabCluster, cliPath: String, selfPath: String) async throws -> [Run] {
        let poller = ClusterPoller(seeds: [lab.seed], options: ConnectionOptions(requestTimeout: .seconds(10)))
        defer { Task { await poller.shutdown() } }
        let work = "\(lab.directory)/bench"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var cluster = BenchMigrateCluster(seed: lab.seed, poller: poller, cliPath: cliPath, workDirectory: work, expectedNodes: lab.nodes.count)
        defer { cluster.close() }
        var snapshot = try await cluster.waitSettled(expectedOwners: await poller.tick().snapshot.slotOwners, after: "forming the cluster")
        try await cluster.connect(snapshot.primaries.map(\.address))
        let addressOf = Dictionary(uniqueKeysWithValues: snapshot.primaries.map { ($0.id, $0.address) })
        let total = hashSlotCount * keysPerSlot
        printError("loading \(total) keys (\(keysPerSlot) per slot)")
        _ = try await cluster.load(owners: snapshot.slotOwners, addressOf: addressOf, keysPerSlot: keysPerSlot)
        guard try await cluster.totalKeys() == total else { throw BenchFailure("the load did not write \(total) keys") }
        snapshot = try await settle(poller: poller, drained: nil, total: total, cluster: cluster)

        let order: [Tool] = (0..<(2 * rounds)).map { index in [Tool.shardtop, .redisCli, .redisCli, .shardtop][index % 4] }
        var runs: [Run] = []
        for (index, tool) in order.enumerated() {
            guard let victim = snapshot.primaries.filter({ $0.address != lab.seed && $0.slotCount > 0 }).max(by: { ($0.slotCount, $1.address) < ($1.slotCount, $0.address) }) else {
                throw BenchFailure("no primary left to drain")
            }
            let keys = try await BenchDrainCommand.dbsize(victim.address)
            // Over the primaries of now, not the connections made at the start: a drained primary
            // becomes a replica and then holds a copy of its new primary's keys.
            let before = try await Self.keysOnPrimaries(snapshot)
            guard before == total else { throw BenchFailure("before run \(index + 1): \(before) keys on the primaries, expected \(total)") }
            let seed = "\(lab.seed)"
            let (program, arguments): (String, [String]) = tool == .shardtop
                ? (selfPath, ["rebalance", seed, "--weight", "\(victim.address)=0", "--yes", "--journal", "\(work)/journal.jsonl"]
                    + (parallelMoves.map { ["--parallel-moves", "\($0)"] } ?? [])
                    + (shardtopOptions ?? "").split(separator: " ").map(String.init))
                : (cliPath, ["--cluster", "rebalance", seed, "--cluster-weight", "\(victim.id)=0"])
            let outcome = try await BenchMigrateProcess.run(program, arguments, stdoutPath: "\(work)/run.out", stderrPath: "\(work)/run.err")
            guard outcome.succeeded, !(tool == .redisCli && outcome.output.contains("[ERR]")) else {
                throw BenchFailure("run \(index + 1) (\(tool.rawValue)) \(outcome.ending): \(BenchMigrateProcess.lastLine(outcome, stderrPath: "\(work)/run.err"))")
            }
            let seconds = outcome.elapsed.benchSeconds
            // Which run left the cluster unsettled matters: redis-cli's rebalance has been seen to end
            // with a slot its new owner does not claim and whose keys it deleted (the epoch race
            // shardtop's EpochGuard closes), so a failure names the run and its tool.
            do {
                snapshot = try await settle(poller: poller, drained: victim.id, total: total, cluster: cluster)
            } catch let failure as BenchFailure {
                throw BenchFailure("run \(index + 1) (\(tool.rawValue), draining \(victim.address)): \(failure.message)")
            }
            let run = Run(tool: tool, seconds: seconds, keys: keys, slots: victim.slotCount)
            printError("run \(index + 1) \(tool.rawValue): \(victim.address) \(victim.slotCount) slots, \(keys) keys in \(String(format: "%.2f", seconds)) s; \(total) keys before and after")
            runs.append(run)
        }
        return runs
    }

    /// Until: every node ok, no open slot, no error finding (a replica the server re-homed has
    /// synced), the drained primary owns no slot, every key present, redis-cli's check clean.
    private func settle(poller: ClusterPoller, drained: String?, total: Int, cluster: BenchMigrateCluster) async throws -> ClusterSnapshot {
        let deadline = ContinuousClock.now + .seconds(90)
        var problem = ""
        while true {
            try Task.checkCancellation()
            let snapshot = await poller.tick().snapshot
            let keys = (try? await Self.keysOnPrimaries(snapshot)) ?? 0
            if let bad = BenchSnapshotCommand.problem(snapshot, expected: cluster.expectedNodes) {
                problem = bad
            } else if let open = snapshot.openSlots.first {
                problem = "slot \(open.slot) is open"
            } else if snapshot.slotsCovered != hashSlotCount {
                problem = "only \(snapshot.slotsCovered) slots covered"
            } else if let drained, let node = snapshot.node(id: drained), node.slotCount > 0 {
                problem = "the drained primary still owns \(node.slotCount) slots"
            } else if let finding = ActionPreconditions.blockingProblems(snapshot).first {
                problem = finding.message
            } else if keys != total {
                problem = "\(keys) keys on the primaries, expected \(total)"
            } else if let bad = try await cluster.cliCheckProblem() {
                problem = "redis-cli --cluster check: \(bad)"
            } else {
                return snapshot
            }
            if ContinuousClock.now > deadline { throw BenchFailure("after a run, not settled within 90 s: \(problem)") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    static func keysOnPrimaries(_ snapshot: ClusterSnapshot) async throws -> Int {
        var keys = 0
        for primary in snapshot.primaries where primary.isReachable { keys += try await BenchDrainCommand.dbsize(primary.address) }
        return keys
    }

    static func table(_ runs: [Run], nodes: Int, keysPerSlot: Int) -> String {
        DrainBenchRun.table(runs, title: "drain one primary to weight 0 in a \(nodes)-node lab, \(keysPerSlot) keys per slot; nothing lost in any run (keys counted before and after)", target: target)
    }
}
