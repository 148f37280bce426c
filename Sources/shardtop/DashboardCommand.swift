import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopConfig
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
          shardtop rediss://10.0.0.5:6380 --cacert ca.crt --cert client.crt --key client.key   (TLS, mTLS)
          shardtop 10.0.0.5:6379 --record incident.jsonl.gz   (then: shardtop replay incident.jsonl.gz)
          shardtop --context prod                             (seeds etc. from the config file)
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
        try await DashboardLauncher.run(seeds: seeds, options: options, lag: connection.lagThresholds, display: display, lab: nil,
                                        logSelector: selector, thresholds: thresholds)
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

    var pollInterval: Double { interval ?? 1 }

    /// Seconds between polls, for --interval here, in `watch`, and from a context's `interval:`.
    static let intervalRange = 0.1...3600.0

    func validate() throws {
        try NumericOption.check(interval, "--interval", Self.intervalRange, unit: "seconds")
    }

    /// Fills what the command line left open from a --context's theme and interval.
    mutating func apply(_ context: ClusterContext?) {
        guard let context else { return }
        if interval == nil { interval = context.interval }
        if theme == nil { theme = context.theme }
    }
}

enum DashboardLauncher {
    static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, display: DisplayArguments, lab: LabCluster?,
                    replay: Recording? = nil, logSelector: LogSourceSelector = LogSourceSelector(template: nil),
                    thresholds: CapacityArguments? = nil) async throws {
        // The command line was checked when parsed; this catches a context's `interval:`.
        do { try NumericOption.check(display.pollInterval, "interval", DisplayArguments.intervalRange, unit: "seconds") } catch { throw fail(error.message) }
        if let problem = TerminalCheck.problem() { throw fail(problem) }
        let environment = ProcessInfo.processInfo.environment
        let directory = ThemeCatalog.themesDirectory(environment: environment)
        let theme: Theme
        do {
            theme = try ThemeCatalog.load(nameOrPath: display.theme, themesDirectory: directory, environment: environment)
        } catch {
            throw fail("\(error)")
        }
        var liveOptions = options
        // A request deadline longer than the interval would make ticks pile up behind a hung node.
        let cap = Int64(max(100, display.pollInterval * 900))
        if liveOptions.requestTimeout.nanoseconds > cap * 1_000_000 { liveOptions.requestTimeout = .milliseconds(cap) }
        var recorder: RecordingWriter?
        if let path = display.record {
            do {
                recorder = try RecordingWriter(path: path, seed: seeds.map(\.description).joined(separator: ","), started: Date().timeIntervalSince1970)
            } catch {
                throw fail("\(error)")
            }
        }
        var configuration = DashboardApp.Configuration(
            seeds: seeds, options: liveOptions, interval: display.pollInterval, lagThresholds: lag, theme: theme,
            themeNames: ThemeCatalog.names(in: directory), themesDirectory: directory, readOnly: display.readOnly, lab: lab,
            journalPath: ActionJournal.defaultPath(), recorder: recorder, replay: replay, logSelector: logSelector
        )
        if let thresholds {
            configuration.capacityThresholds = thresholds.capacity
            configuration.persistenceThresholds = thresholds.persistence
        }
        let app = DashboardApp(configuration: configuration)
        do {
            try await app.run()
        } catch {
            throw fail("\(error)")
        }
    }
}
