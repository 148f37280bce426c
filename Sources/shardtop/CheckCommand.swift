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
        Looks for uncovered slots, open (migrating/importing) slots, nodes that disagree on slot
        ownership (after up to 3 s for gossip to spread a change that just happened), failed or
        unreachable nodes, primaries without a healthy replica, lagging replicas,
        and replicas on the same host as their primary.

        Examples:
          shardtop check 127.0.0.1:7000
          shardtop check 10.0.0.5:6379 --lag-bytes 10000000 || page-oncall

        Exit status: 0 healthy (warnings allowed), 1 errors found, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @OptionGroup var connection: ConnectionArguments

    @Flag(help: "Print findings as JSON lines instead of text.")
    var json = false

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        try await HeadlessCheck.run(seeds: seeds, options: options, lag: connection.lagThresholds, json: json)
    }
}
