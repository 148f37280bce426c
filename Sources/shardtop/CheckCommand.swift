import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the cluster's health, like `redis-cli --cluster check` and more.",
        discussion: """
        Looks for uncovered slots, open (migrating/importing) slots, nodes that disagree on slot \
        ownership (after up to 3 s for gossip to spread a change that just happened), failed or \
        unreachable nodes, primaries without a healthy replica, lagging replicas, \
        and replicas on the same host as their primary; failed background saves, AOF write \
        errors, overdue saves, shards with no persistence and no healthy replica; primaries near \
        their maxmemory or maxclients, evicting, or (with --sample) forecast to fill soon. A \
        primary without maxmemory is a note, not a warning.

        Examples:
          shardtop check 127.0.0.1:7000
          shardtop check 10.0.0.5:6379 --lag-bytes 10000000 || page-oncall
          shardtop check 10.0.0.5:6379 --sample 60 --fill-within 3600 --json

        Exit status: 0 healthy (warnings and notes allowed), 1 errors found, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @OptionGroup var connection: ConnectionArguments

    @Flag(help: "Print findings as JSON lines instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Poll once a second for this many seconds, so growth can be forecast (the fill-forecast finding); 0 polls once (twice when a primary has evicted keys, to tell whether it still does).", valueName: "s"))
    var sample: Double = 0

    @OptionGroup var thresholds: CapacityArguments

    func validate() throws {
        try NumericOption.check(sample, "--sample", 0...3600, unit: "s")
    }

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        try await HeadlessCheck.run(seeds: seeds, options: options, lag: connection.lagThresholds, json: json, sample: sample,
                                     capacity: thresholds.capacity, persistence: thresholds.persistence)
    }
}
