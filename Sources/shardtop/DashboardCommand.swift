import ArgumentParser
import ShardtopApp
import Foundation
import ShardtopConfig
import ShardtopCore
import ShardtopLab
import ShardtopLogs
import ShardtopRecording
import ShardtopRedis
import ShardtopTerminal
import ShardtopUI

/// `shardtop SEED...`: the live dashboard. It is the default subcommand.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the live dashboard (the default: `shardtop HOST:PORT`).",
        discussion: """
        Examples:
          shardtop 127.0.0.1:7000
          shardtop redis://ops@10.0.0.5:6379 --interval 2 --theme light
          shardtop 10.0.0.5:6379 --read-only
          # TLS, mTLS
          shardtop rediss://10.0.0.5:6380 --cacert ca.crt --cert client.crt --key client.key
          # then: shardtop replay incident.jsonl.gz
          shardtop 10.0.0.5:6379 --record incident.jsonl.gz
          # seeds etc. from the config file
          shardtop --context prod
        Press ? inside for every key. Exit status: 0 after q, 2 when it could not start.

        \(ExitStatus.refusalHelp)
        """
    )

    @OptionGroup var connection: ConnectionArguments
    @OptionGroup var display: DisplayArguments
    @OptionGroup var thresholds: CapacityArguments

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        var display = display
        let context = try connection.clusterContext()
        display.apply(context)
        let selector = try LogSelection.selector(for: context)
        try await DashboardLauncher.run(seeds: seeds, options: options, lag: connection.lagThresholds, display: display.settings, lab: nil,
                                        logSelector: selector, capacity: thresholds.capacity, persistence: thresholds.persistence)
    }
}

/// Options of the screen itself, shared by the dashboard and `lab`.
struct DisplayArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds between polls (+ and - change it live). Default 1, or the context's.", valueName: "s"))
    var interval: Double?

    @Option(help: ArgumentHelp("Theme name (default, light, high-contrast, mono) or a theme file path.", valueName: "name|path"))
    var theme: String?

    @Flag(help: "Disable every action key; the dashboard only observes.")
    var readOnly = false

    @Option(help: ArgumentHelp("Also write every snapshot and event to this file as JSON lines (gzip if it ends in .gz), for `shardtop replay`.", valueName: "file"))
    var record: String?

    /// Seconds between polls, for --interval here, in `watch`, and from a context's `interval:`.
    static let intervalRange = DisplaySettings.intervalRange

    func validate() throws {
        try NumericOption.check(interval, "--interval", Self.intervalRange, unit: "seconds")
    }

    var settings: DisplaySettings {
        DisplaySettings(interval: interval ?? 1, theme: theme, readOnly: readOnly, record: record)
    }

    /// Fills what the command line left open from a --context's theme and interval.
    mutating func apply(_ context: ClusterContext?) {
        guard let context else { return }
        if interval == nil { interval = context.interval }
        if theme == nil { theme = context.theme }
    }
}
