import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct RebalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebalance",
        abstract: "Even out slots, keys or memory across primaries (a dry-run diff first).",
        discussion: """
        Proposes moves that bring every primary to its weighted share, shows which ranges move \
        where and the balance before and after, then runs them through the migration engine. \
        --weight NODE=0 drains a primary. Primaries within --threshold percent of their share \
        are left alone.

        Examples:
          shardtop rebalance 10.0.0.5:6379 --dry-run
          shardtop rebalance 10.0.0.5:6379 --by keys
          # drain a node
          shardtop rebalance 10.0.0.5:6379 --weight 10.0.0.9:6379=0 --yes

        Exit status: 0 balanced (or nothing to do), 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("What to even out: slots, keys or memory.", valueName: "metric"))
    var by: RebalanceMetric = .slots

    @Option(name: .customLong("weight"), help: ArgumentHelp("A primary's weight (default 1); 0 drains it. Repeatable.", valueName: "node=w"))
    var weights: [String] = []

    @Option(help: ArgumentHelp("Leave primaries within this percent of their share alone.", valueName: "pct"))
    var threshold: Double = 2

    @Flag(help: "Print the plan and exit.")
    var dryRun = false

    @Option(help: ArgumentHelp("Moves run at once at most, between different pairs of primaries (1: one after another).", valueName: "n"))
    var parallelMoves: Int = Self.defaultParallelMoves

    /// Enough to overlap the round trips and config saves of a drained primary's moves; more adds
    /// little on a source that is busy with MIGRATE anyway (README, rebalance bench).
    static let defaultParallelMoves = 4

    @OptionGroup var migration: MigrationArguments
    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        try NumericOption.check(threshold, "--threshold", 0...100, unit: "percent")
        try NumericOption.check(parallelMoves, "--parallel-moves", 1...64)
        for entry in weights { _ = try Self.weight(entry) }
    }

    /// "NODE=W" split and checked; the node is looked up once connected.
    static func weight(_ entry: String) throws(ValidationError) -> (node: String, weight: Double) {
        let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let weight = Double(parts[1]) else {
            throw ValidationError("bad --weight '\(entry)': use NODE=W, e.g. 10.0.0.9:6379=0 to drain it")
        }
        try NumericOption.check(weight, "--weight \(parts[0])", RebalanceWeight.range)
        return (parts[0], weight)
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "rebalance")
        try await HeadlessRebalance.run(weights: try weights.map { try Self.weight($0) }, metric: by, threshold: threshold, dryRun: dryRun,
                                        path: migration.path, settings: migration.settings, parallelMoves: parallelMoves, session: session)
    }
}

extension RebalanceMetric: ExpressibleByArgument {}
