import ArgumentParser
import ShardtopRedis

/// Starts `RedisConnection.warmUp` beside argument parsing for the commands that connect at once.
///
/// A cold `snapshot` spent about 1.8 ms between parsing its arguments and dialling the seed:
/// starting NIO's event loop threads and the runtime's first lookups for its socket channel and
/// our handlers. Argument parsing keeps one core busy for about 3 ms while the other is idle; the
/// warm-up runs there (issue 12: 1 ms off a cold snapshot, measured in alternation).
///
/// Only for commands that use NIO's default event loops: the dashboard, the lab and `watch` set the
/// loop count first (`DashboardProcess.prepare`), which NIO refuses once its loops are running.
/// The command is read from the first argument before parsing; `--help` or a typo after it costs
/// the warm-up's few hundred microseconds of otherwise idle CPU, nothing else.
public enum ConnectionWarmUp {
    public static func start(ifFirstArgumentNames commands: [any ParsableCommand.Type], arguments: [String] = CommandLine.arguments) {
        guard wanted(arguments: arguments, names: commands.compactMap { $0.configuration.commandName }) else { return }
        Task.detached(priority: .high) { await RedisConnection.warmUp(options: ConnectionOptions()) }
    }

    /// True when the first argument after the program's name is one of `names`.
    static func wanted(arguments: [String], names: [String]) -> Bool {
        guard let first = arguments.dropFirst().first else { return false }
        return names.contains(first)
    }
}
