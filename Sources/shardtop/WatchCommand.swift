import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Poll the cluster live and print what changes, one line per event (no terminal needed).",
        discussion: """
        Each tick polls every node (one pipelined round trip each) and prints the events since the \
        last tick: nodes unreachable or back, cluster pfail/fail, failovers, slots moving, migrations \
        opening or closing, replica links, lag crossing the thresholds, nodes joining or leaving. \
        With --status it also prints a one-line summary every tick.

        Examples:
          shardtop watch 127.0.0.1:7000
          shardtop watch 127.0.0.1:7000 --interval 0.5 --status --json \\
            >> cluster-events.jsonl

        \(ExitStatus.refusalHelp)
        """
    )

    @OptionGroup var connection: ConnectionArguments

    @Option(help: ArgumentHelp("Seconds between polls.", valueName: "s"))
    var interval: Double = 1

    @Flag(help: "Print a one-line summary every tick as well.")
    var status = false

    @Flag(help: "Print events as JSON lines.")
    var json = false

    func validate() throws {
        try NumericOption.check(interval, "--interval", DisplaySettings.intervalRange, unit: "seconds")
    }

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        try await HeadlessWatch.run(seeds: seeds, options: options, lag: connection.lagThresholds, interval: interval, status: status, json: json)
    }
}
