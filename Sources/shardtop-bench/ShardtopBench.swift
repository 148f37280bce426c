import ArgumentParser
import ShardtopApp

/// `shardtop-bench`: the README's benchmarks, each run side by side with the tool an operator
/// would otherwise use (redis-cli, htop) on a real local cluster. Apart from the product binary,
/// so `shardtop` ships without them; they run `shardtop` itself as a child, as an operator would.
@main
struct ShardtopBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shardtop-bench",
        abstract: "Measure shardtop against redis-cli and htop on a real local cluster (for the README).",
        discussion: """
        Build both binaries in release mode first, then run a bench:
          swift build -c release
          .build/release/shardtop-bench snapshot --primaries 15 --replicas 1
          .build/release/shardtop-bench dashboard --seconds 60
          .build/release/shardtop-bench migrate --slots 500 --keys-per-slot 160
          .build/release/shardtop-bench tls
          .build/release/shardtop-bench rebalance
          .build/release/shardtop-bench scale --sizes 100,250,500
        Each prints its figures as ratios from one run. The shardtop binary is the one next to this one.

        \(ExitStatus.refusalHelp)
        """,
        subcommands: [BenchSnapshotCommand.self, BenchDashboardCommand.self, BenchMigrateCommand.self, BenchTLSCommand.self, BenchDrainCommand.self, BenchBackupCommand.self, BenchRebalanceCommand.self, BenchClusterNodesCommand.self, BenchScaleCommand.self]
    )

    /// One line and exit 2 for bad input (see CommandLineMain).
    static func main() async { await CommandLineMain.run(Self.self) }
}
