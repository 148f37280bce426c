import ArgumentParser
import Foundation

@main
struct Shardtop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shardtop",
        abstract: "A live control room for Redis Cluster and Valkey.",
        discussion: """
        Point shardtop at any node; it discovers the whole cluster from there.

        Examples:
          shardtop lab                      a local 3x1 cluster, with the dashboard
          shardtop 10.0.0.5:6379            the live dashboard (? shows the keys)
          shardtop snapshot 10.0.0.5:6379   one poll of the whole cluster
          shardtop snapshot redis://ops@host:6379 --json
          shardtop check host:6379          exit 0 healthy, 1 problems, 2 could not run
          shardtop watch host:6379          live events, one line each
          shardtop failover host:6380       promote a replica, after a preflight
          shardtop migrate --slots 0-99 --to host:6381
          shardtop fix host:6379            settle slots left open by a migration
          shardtop backup host:6379 --dir d one RDB per shard, then: shardtop lab --restore d/manifest.json
          shardtop logs host:6379 -f        a node's own log
          shardtop host:6379 --record x.gz  then: shardtop replay x.gz

        Passwords come from SHARDTOP_PASSWORD, REDISCLI_AUTH or --password-file,
        never from the command line.

        \(ExitStatus.refusalHelp)
        """,
        version: "0.2.0",
        subcommands: [
            DashboardCommand.self, SnapshotCommand.self, CheckCommand.self, WatchCommand.self, LabCommand.self,
            FailoverCommand.self, MigrateCommand.self, RebalanceCommand.self, FixCommand.self, BackupCommand.self, LogsCommand.self, ReplayCommand.self,
            BenchCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )

    /// ArgumentParser's own main, except for bad input: its answer to a typo is the usage block
    /// and exit 64, and shardtop promises scripts one line and exit 2 (ExitStatus.couldNotRun) for
    /// that, the same as a bad seed. Help, --version and errors from run() go the usual way.
    static func main() async {
        do {
            var parsed = try await asyncParseAsRoot()
            if var command = parsed as? AsyncParsableCommand {
                try await command.run()
            } else {
                try parsed.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure { Foundation.exit(refuse(error)) }
            exit(withError: error)
        }
    }

    /// Prints the one line for a parse or validation error and returns the exit code.
    static func refuse(_ error: Error) -> Int32 {
        // The message may carry a second line of help text; the first says what was wrong.
        let first = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "bad arguments"
        printError(first)
        return ExitStatus.couldNotRun
    }
}
