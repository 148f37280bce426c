import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopConfig
import ShardtopCore
import ShardtopLogs
import ShardtopRedis
#if canImport(Glibc)
import Glibc
#endif

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a node's own log, parsed, without the dashboard.",
        discussion: """
        NODE is host:port, or a node id prefix (then the cluster is found from the seeds or --context). \
        The log comes from, in order: the context's log-command; the node's log file when the node \
        runs on this host; else SLOWLOG / LATENCY LATEST / COMMANDLOG, with a line saying why.

        Examples:
          shardtop logs 127.0.0.1:7000 --lines 20
          shardtop logs 127.0.0.1:7000 -f --grep failover
          shardtop logs 7a0e99e7 10.0.0.5:6379
          # log-command from the config file
          shardtop logs 10.0.0.5:6379 --context prod -f
        Exit status: 0 printed, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Argument(help: ArgumentHelp("The node: host:port or a node id prefix.", valueName: "node"))
    var node: String

    @OptionGroup var connection: ConnectionArguments

    @Flag(name: .shortAndLong, help: "Keep printing new lines as the node writes them (Ctrl-C stops).")
    var follow = false

    @Option(help: ArgumentHelp("How many recent lines to print first.", valueName: "n"))
    var lines: Int = 50

    @Option(help: ArgumentHelp("Only lines containing this text (case-insensitive).", valueName: "text"))
    var grep: String?

    func validate() throws {
        try NumericOption.check(lines, "--lines", 1...100_000)
    }

    func run() async throws {
        let cluster = try connection.clusterContext()
        let selector = try LogSelection.selector(for: cluster)
        var arguments = connection
        let direct = NodeAddress(node)
        if arguments.seeds.isEmpty && (cluster?.seeds.isEmpty ?? true), let direct { arguments.seeds = [direct.description] }
        let (seeds, options) = try arguments.resolve()
        try await HeadlessLogs.run(node: node, direct: direct, seeds: seeds, options: options, lag: connection.lagThresholds,
                                   selector: selector, lines: lines, follow: follow, grep: grep)
    }
}

/// Where a context came from, for errors about its values.
enum ConfigFileLocation {
    static func describe(_ cluster: ClusterContext?) -> String {
        guard let cluster else { return "log-command" }
        let path = ConfigFileLocation.path
        return cluster.line.map { "\(path):\($0)" } ?? path
    }

    static var path: String { ConfigFile.defaultPath(environment: ProcessInfo.processInfo.environment) }
}
