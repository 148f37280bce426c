import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Poll the whole cluster once and print it.",
        discussion: """
        Examples:
          shardtop snapshot 127.0.0.1:7000
          shardtop snapshot 127.0.0.1:7000 --json \\
            | jq '.nodes[] | select(.role == "replica") | .lagBytes'
        Exit status: 0 printed, 2 no node could be reached.

        \(ExitStatus.refusalHelp)
        """
    )

    @OptionGroup var connection: ConnectionArguments

    @Flag(help: "Print JSON (the same values the dashboard shows) instead of a table.")
    var json = false

    @OptionGroup var thresholds: CapacityArguments

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        try await HeadlessSnapshot.run(seeds: seeds, options: options, lag: connection.lagThresholds, json: json,
                                        capacity: thresholds.capacity, persistence: thresholds.persistence)
    }
}
