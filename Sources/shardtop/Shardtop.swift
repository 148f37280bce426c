import ShardtopApp
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
          shardtop add-node new:6379 host:6379 --replica-of host:6380
          shardtop remove-node host:6381 --drain
          shardtop forget host:6379         clear nodes every live node sees as failed
          shardtop backup host:6379 --dir d  one RDB per shard (then: lab --restore d/manifest.json)
          shardtop logs host:6379 -f        a node's own log
          shardtop host:6379 --record x.gz  then: shardtop replay x.gz

        Passwords come from SHARDTOP_PASSWORD, REDISCLI_AUTH or --password-file, \
        never from the command line.

        \(ExitStatus.refusalHelp)
        """,
        version: "0.2.0",
        subcommands: [
            DashboardCommand.self, SnapshotCommand.self, CheckCommand.self, WatchCommand.self, LabCommand.self,
            FailoverCommand.self, MigrateCommand.self, RebalanceCommand.self, FixCommand.self, LogsCommand.self, ReplayCommand.self, PlanCommand.self,
            BackupCommand.self,
            AddNodeCommand.self, RemoveNodeCommand.self, ForgetCommand.self, ReplaceCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )

    /// One line and exit 2 for bad input (see CommandLineMain).
    static func main() async {
        // `snapshot|check [--json] HOST:PORT` needs no parsing (see PlainCommandLine).
        if let line = PlainCommandLine(arguments: Array(CommandLine.arguments.dropFirst())) { await CommandLineMain.run(Self.self, plain: line) }
        await CommandLineMain.run(Self.self, warmingUp: oneShotCommands)
    }

    /// The commands that connect as they start, on NIO's default event loops: warmed up beside
    /// argument parsing (see `ConnectionWarmUp`). Not the dashboard, lab or watch (one loop).
    static let oneShotCommands: [any ParsableCommand.Type] = [
        SnapshotCommand.self, CheckCommand.self, FailoverCommand.self, MigrateCommand.self, RebalanceCommand.self, FixCommand.self,
        BackupCommand.self, AddNodeCommand.self, RemoveNodeCommand.self, ForgetCommand.self, ReplaceCommand.self,
    ]
}
