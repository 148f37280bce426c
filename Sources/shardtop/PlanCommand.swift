import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop plan`: how many primaries the data needs, and the moves adding them would take.
/// A dry run only: nothing is sent but reads (INFO, CLUSTER NODES, key counts per slot).
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Capacity planner: how many primaries the data needs, and the moves to add them (dry run).",
        discussion: """
        Reads used memory and keys per primary, and keys per slot (CLUSTER \
        SLOT-STATS, or a sample of COUNTKEYSINSLOT), then says how many \
        primaries hold the data within the budget: --target-memory (what one \
        primary may use; default the smallest maxmemory) less --headroom \
        percent. --add-primaries plans that many new primaries whatever the \
        data needs. The moves are those `shardtop rebalance` plans once the new \
        nodes have joined as empty primaries: slots, keys, bytes (keys x the \
        owner's bytes per key) and a time from the migrate plan's estimate \
        (legacy: 2 ms a slot + 60,000 keys/s; Valkey 9 atomic: 0.5 ms a slot \
        + 400,000 keys/s). Nothing is changed.

        Examples:
          shardtop plan 127.0.0.1:7000 --headroom 30       (keep 30% free)
          shardtop plan 10.0.0.5:6379 --target-memory 4gb  (at most 4 GiB)
          shardtop plan 10.0.0.5:6379 --target-memory 8gb --headroom 25
          shardtop plan 10.0.0.5:6379 --add-primaries 2 --by memory
        Sizes as in redis.conf: 512mb, 4gb (x1024), 1g (x1000), or bytes.

        Exit status: 0 planned, 2 could not run (bad input, nothing \
        reachable, no budget).

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("Memory one primary may use (default: the smallest maxmemory of the primaries).", valueName: "size"))
    var targetMemory: String?

    @Option(help: ArgumentHelp("Plan this many new primaries, whatever the data needs.", valueName: "n"))
    var addPrimaries: Int?

    @Option(help: ArgumentHelp("Percent of the budget to keep free.", valueName: "pct"))
    var headroom: Double?

    @Option(help: ArgumentHelp("What the moves even out, as rebalance --by: slots, keys or memory.", valueName: "metric"))
    var by: RebalanceMetric = .slots

    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        guard targetMemory != nil || addPrimaries != nil || headroom != nil else {
            throw ValidationError("give --target-memory SIZE, --add-primaries N or --headroom PCT (see shardtop plan --help)")
        }
        if let targetMemory {
            do { _ = try ByteSize.parse(targetMemory) } catch { throw ValidationError("--target-memory \(error.description)") }
        }
        try NumericOption.check(addPrimaries, "--add-primaries", 1...1000)
        try NumericOption.check(headroom, "--headroom", 0...99, unit: "percent")
    }

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        let memory: Int64?
        do { memory = try targetMemory.map { try ByteSize.parse($0) } } catch { throw fail("\(error)") }
        try await HeadlessPlan.run(seeds: seeds, options: options, lag: connection.lagThresholds,
                                   goal: CapacityGoal(targetMemory: memory, addPrimaries: addPrimaries, headroomPercent: headroom), metric: by)
    }
}
