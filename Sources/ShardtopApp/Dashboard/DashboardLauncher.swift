import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopLogs
import ShardtopRecording
import ShardtopRedis
import ShardtopTerminal
import ShardtopUI

/// What the dashboard's own options say, as plain values (the command line and a context fill them).
public struct DisplaySettings: Sendable {
    /// Seconds between polls.
    public var interval: Double
    /// A theme name or a theme file path; nil for the default.
    public var theme: String?
    public var readOnly: Bool
    /// `--record FILE`: every snapshot and event as JSON lines too.
    public var record: String?

    /// Seconds between polls, for --interval, `watch`, and a context's `interval:`.
    public static let intervalRange = 0.1...3600.0

    public init(interval: Double = 1, theme: String? = nil, readOnly: Bool = false, record: String? = nil) {
        self.interval = interval
        self.theme = theme
        self.readOnly = readOnly
        self.record = record
    }
}

/// Opens the dashboard (live, on a lab, or replaying a recording) and runs it until the operator quits.
public enum DashboardLauncher {
    public static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, display: DisplaySettings, lab: LabCluster?,
                    replay: Recording? = nil, logSelector: LogSourceSelector = LogSourceSelector(template: nil),
                           capacity: CapacityThresholds = .default, persistence: PersistenceThresholds = .default) async throws {
        // The command line was checked when parsed; this catches a context's `interval:`.
        do { try NumericOption.check(display.interval, "interval", DisplaySettings.intervalRange, unit: "seconds") } catch { throw fail(error.message) }
        if let problem = TerminalCheck.problem() { throw fail(problem) }
        // A lab (LabLauncher, the restore drill) has used NIO already: LabLauncher prepared before
        // forming it, and setting NIO's loop count after first use would stop the process.
        if lab == nil { DashboardProcess.prepare() }
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
        var recorder: RecordingWriter?
        if let path = display.record {
            do {
                recorder = try RecordingWriter(path: path, seed: seeds.map(\.description).joined(separator: ","), started: Date().timeIntervalSince1970)
            } catch {
                throw fail("\(error)")
            }
        }
        var configuration = DashboardApp.Configuration(
            seeds: seeds, options: liveOptions, interval: display.interval, lagThresholds: lag, theme: theme,
            themeNames: ThemeCatalog.names(in: directory), themesDirectory: directory, readOnly: display.readOnly, lab: lab,
            journalPath: ActionJournal.defaultPath(), recorder: recorder, replay: replay, logSelector: logSelector
        )
        configuration.capacityThresholds = capacity
        configuration.persistenceThresholds = persistence
        let app = DashboardApp(configuration: configuration)
        do {
            try await app.run()
        } catch {
            throw fail("\(error)")
        }
    }
}
