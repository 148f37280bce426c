import ArgumentParser
import Foundation
import ShardtopCore
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
        Press ? inside for every key. Exit status: 0 after q, 2 when it could not start.
        """
    )

    @OptionGroup var connection: ConnectionArguments
    @OptionGroup var display: DisplayArguments

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        try await DashboardLauncher.run(seeds: seeds, options: options, lag: connection.lagThresholds, display: display, lab: nil)
    }
}

/// Options of the screen itself, shared by the dashboard and `lab`.
struct DisplayArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds between polls (+ and - change it live).", valueName: "s"))
    var interval: Double = 1

    @Option(help: ArgumentHelp("Theme name (default, light, high-contrast, mono) or a theme file path.", valueName: "name|path"))
    var theme: String?

    @Flag(help: "Disable every action key; the dashboard only observes.")
    var readOnly = false
}

enum DashboardLauncher {
    static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, display: DisplayArguments, lab: LabCluster?) async throws {
        guard display.interval >= 0.1, display.interval <= 3600 else { throw fail("--interval must be between 0.1 and 3600 seconds") }
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
        let cap = Int64(max(100, display.interval * 900))
        if liveOptions.requestTimeout.nanoseconds > cap * 1_000_000 { liveOptions.requestTimeout = .milliseconds(cap) }
        let app = DashboardApp(configuration: .init(
            seeds: seeds, options: liveOptions, interval: display.interval, lagThresholds: lag, theme: theme,
            themeNames: ThemeCatalog.names(in: directory), themesDirectory: directory, readOnly: display.readOnly, lab: lab,
            journalPath: ActionJournal.defaultPath()
        ))
        do {
            try await app.run()
        } catch {
            throw fail("\(error)")
        }
    }
}
