import ArgumentParser

@main
struct Shardtop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shardtop",
        abstract: "A live control room for Redis Cluster and Valkey.",
        discussion: """
        Point shardtop at any node; it discovers the whole cluster from there.

        Examples:
          shardtop lab                              start a local 3x1 cluster and open the dashboard on it
          shardtop 10.0.0.5:6379                    the live dashboard (press ? for keys)
          shardtop snapshot 10.0.0.5:6379           one poll of the whole cluster, as a table
          shardtop snapshot redis://ops@host:6379 --json
          shardtop check host:6379 && echo healthy  exit 0 healthy, 1 problems found, 2 could not run
          shardtop watch host:6379 --status         live events, one line each

        Passwords come from SHARDTOP_PASSWORD, REDISCLI_AUTH or --password-file, never the command line.
        """,
        version: "0.1.0",
        subcommands: [DashboardCommand.self, SnapshotCommand.self, CheckCommand.self, WatchCommand.self, LabCommand.self, BenchCommand.self],
        defaultSubcommand: DashboardCommand.self
    )
}
