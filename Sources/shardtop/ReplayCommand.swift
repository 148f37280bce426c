import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRecording
import ShardtopRedis

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Open the dashboard, read-only, on a recording made with --record.",
        discussion: """
        Every screen works as it did live, at the recorded snapshot times. Keys: p pause,
        > and < speed (1x to 60x), ] and [ seek 10 s, } and { seek a minute, ? help.

        Examples:
          shardtop 10.0.0.5:6379 --record incident.jsonl.gz
          shardtop replay incident.jsonl.gz
          shardtop replay incident.jsonl.gz --info      (print what the file holds)

        Exit status: 0 after q, 2 when the file cannot be read or there is no terminal.

        \(ExitStatus.refusalHelp)
        """
    )

    @Argument(help: ArgumentHelp("A recording (JSON lines, gzip if it ends in .gz).", valueName: "file"))
    var file: String

    @Flag(help: "Print the recording's seed, span and number of snapshots, then exit.")
    var info = false

    @Option(help: ArgumentHelp("Theme name or theme file path.", valueName: "name|path"))
    var theme: String?

    func run() async throws {
        let recording: Recording
        do {
            recording = try Recording.load(path: file)
        } catch {
            throw fail("\(error)")
        }
        if info {
            let events = recording.ticks.reduce(0) { $0 + $1.events.count }
            print("recording of \(recording.header.seed): \(recording.ticks.count) snapshots over \(String(format: "%.1f", recording.duration)) s, \(events) events\(recording.skippedLines > 0 ? ", \(recording.skippedLines) damaged lines skipped" : "")")
            return
        }
        // Parsed, not constructed: ArgumentParser's property wrappers may only be read after parsing.
        let display = try DisplayArguments.parse(["--read-only"] + (theme.map { ["--theme", $0] } ?? []))
        try await DashboardLauncher.run(seeds: [], options: ConnectionOptions(), lag: .default, display: display, lab: nil, replay: recording)
    }
}
