import ArgumentParser

/// Benchmarks run side by side with the tools an operator would otherwise use.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure shardtop against redis-cli and htop on a real local cluster (for the README).",
        shouldDisplay: false,
        subcommands: [BenchSnapshotCommand.self, BenchDashboardCommand.self, BenchMigrateCommand.self, BenchTLSCommand.self, BenchBackupCommand.self]
    )
}
