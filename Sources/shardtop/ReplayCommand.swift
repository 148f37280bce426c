import ShardtopApp
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
        Every screen works as it did live, at the recorded snapshot times. Keys: p pause, \
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
        try await ReplayLauncher.run(file: file, infoOnly: info, theme: theme)
    }
}
