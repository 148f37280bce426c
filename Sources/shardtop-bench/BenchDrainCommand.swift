import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `shardtop-bench drain`: take a primary out of a loaded lab with `shardtop remove-node --drain`
/// and with what an operator would otherwise run, `redis-cli --cluster rebalance --cluster-weight
/// ID=0` then `redis-cli --cluster del-node`, alternating, and check the cluster after every run.
struct BenchDrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Removing a loaded primary: shardtop remove-node --drain against redis-cli rebalance (weight 0) + del-node.",
        discussion: """
        Starts a lab (15 primaries x 1 replica by default: 30 nodes), writes --keys-per-slot keys \
        into every slot, then removes one primary per run: the one owning the most slots (never the \
        seed), so every run moves about the same data. Runs alternate S C C S S C ... so neither tool \
        always goes first. S = `shardtop remove-node NODE SEED --drain --yes` (the real binary, \
        timed from spawn to exit: first snapshot, plan, drain, re-homing, FORGET everywhere, RESET); \
        C = `redis-cli --cluster rebalance SEED --cluster-weight ID=0` then `redis-cli --cluster \
        del-node SEED ID`, timed together, at redis-cli's defaults. Target: C/S >= 3x.

        After every run: the key count (DBSIZE over primaries) unchanged, no node listing the removed \
        one, `redis-cli --cluster check` clean. Anything else aborts the bench. Build with -c release.
        """
    )

    @OptionGroup var shape: BenchLabArguments

    @Option(help: "Keys written into every slot.")
    var keysPerSlot = 160

    @Option(help: "Measured runs of each tool.")
    var rounds = 2

    @OptionGroup var cli: BenchRedisCliArgument

    static let target = 3.0

    func validate() throws {
        try NumericOption.check(keysPerSlot, "--keys-per-slot", 1...10_000)
        try NumericOption.check(rounds, "--rounds", 1...20)
        guard shape.primaries > 2 * rounds + 1 else { throw ValidationError("--primaries must be above 2 x --rounds + 1 (one primary is removed per run)") }
    }

    typealias Tool = DrainBenchRun.Tool
    typealias Run = DrainBenchRun

    func run() async throws {
        let serverPath = try shape.serverPath()
        let cliPath = try cli.path()
        let selfPath = try BenchTools.shardtop()
        let runs = try await BenchLab.measure(shape.options(serverPath: serverPath)) { lab in
            try await measure(lab, cliPath: cliPath, selfPath: selfPath)
        }
        print(Self.table(runs, nodes: shape.primaries * (1 + shape.replicas), keysPerSlot: keysPerSlot))
    }

    private func measure(_ lab: LabCluster, cliPath: String, selfPath: String) async throws -> [Run] {
        let poller = ClusterPoller(seeds: [lab.seed], options: ConnectionOptions(requestTimeout: .seconds(10)))
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
        cluster.close()

        let order: [Tool] = (0..<(2 * rounds)).map { index in [Tool.shardtop, .redisCli, .redisCli, .shardtop][index % 4] }
        var runs: [Run] = []
        var expectedNodes = lab.nodes.count
        for (index, tool) in order.enumerated() {
            guard let victim = snapshot.primaries.filter({ $0.address != lab.seed && $0.slotCount > 0 }).max(by: { ($0.slotCount, $1.address) < ($1.slotCount, $0.address) }) else {
                throw BenchFailure("no primary left to remove")
            }
            let keys = try await Self.dbsize(victim.address)
            let seed = "\(lab.seed)"
            var seconds = 0.0
            let steps: [(String, [String])] = tool == .shardtop
                ? [(selfPath, ["remove-node", "\(victim.address)", seed, "--drain", "--yes", "--journal", "\(work)/journal.jsonl"])]
                : [(cliPath, ["--cluster", "rebalance", seed, "--cluster-weight", "\(victim.id)=0"]), (cliPath, ["--cluster", "del-node", seed, victim.id])]
            for (program, arguments) in steps {
                let outcome = try await BenchMigrateProcess.run(program, arguments, stdoutPath: "\(work)/run.out", stderrPath: "\(work)/run.err")
                guard outcome.succeeded else {
                    throw BenchFailure("run \(index + 1) (\(tool.rawValue)) \(outcome.ending): \(BenchMigrateProcess.lastLine(outcome, stderrPath: "\(work)/run.err"))")
                }
                seconds += outcome.elapsed.benchSeconds
            }
            expectedNodes -= 1
            do {
                snapshot = try await settle(poller: poller, removed: victim.id, expectedNodes: expectedNodes, total: total, cluster: cluster)
            } catch let failure as BenchFailure {
                throw BenchFailure("run \(index + 1) (\(tool.rawValue), removing \(victim.address)): \(failure.message)")
            }
            let run = Run(tool: tool, seconds: seconds, keys: keys, slots: victim.slotCount)
            printError("run \(index + 1) \(tool.rawValue): \(victim.address) \(victim.slotCount) slots, \(keys) keys in \(String(format: "%.2f", seconds)) s")
            runs.append(run)
        }
        await poller.shutdown()
        return runs
    }

    /// Until: no node lists the removed one, every other node ok, no error finding (every replica's
    /// link up), all keys present, redis-cli's check clean.
    private func settle(poller: ClusterPoller, removed: String, expectedNodes: Int, total: Int, cluster: BenchMigrateCluster) async throws -> ClusterSnapshot {
        let deadline = ContinuousClock.now + .seconds(90)
        var problem = ""
        // A fresh poller each time: the bench's own keeps polling a removed node it once knew (the
        // reset node still answers, naming only itself).
        let seeds = await poller.seeds
        while true {
            let fresh = ClusterPoller(seeds: seeds, options: ConnectionOptions(requestTimeout: .seconds(10)))
            let snapshot = await fresh.tick().snapshot
            await fresh.shutdown()
            var keys = 0
            for primary in snapshot.primaries where primary.isReachable { keys += (try? await Self.dbsize(primary.address)) ?? 0 }
            if snapshot.node(id: removed) != nil {
                problem = "a node still lists the removed one"
            } else if let bad = BenchSnapshotCommand.problem(snapshot, expected: expectedNodes) {
                problem = bad
            } else if let finding = ActionPreconditions.blockingProblems(snapshot).first {
                // e.g. a replica the server re-homed is still syncing: the next run starts from a clean cluster.
                problem = finding.message
            } else if keys != total {
                problem = "\(keys) keys on the primaries, expected \(total)"
            } else if let bad = try await cluster.cliCheckProblem() {
                problem = "redis-cli --cluster check: \(bad)"
            } else {
                return snapshot
            }
            if ContinuousClock.now > deadline { throw BenchFailure("after a removal, not settled within 90 s: \(problem)") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    static func dbsize(_ address: NodeAddress) async throws -> Int {
        let connection = try await RedisConnection.connect(to: address, options: BenchMigrateCluster.connectionOptions)
        defer { connection.close() }
        guard let count = try await connection.send([["DBSIZE"]]).first?.int else { throw BenchFailure("DBSIZE on \(address) gave no count") }
        return Int(count)
    }

    static func table(_ runs: [Run], nodes: Int, keysPerSlot: Int) -> String {
        DrainBenchRun.table(runs, title: "drain and remove one primary of a \(nodes)-node lab, \(keysPerSlot) keys per slot; nothing lost in any run", target: target)
    }
}
