import ArgumentParser
import Foundation
import ShardtopConfig
import ShardtopCore
import ShardtopRedis
#if canImport(Glibc)
import Glibc
#endif

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a node's own log, parsed, without the dashboard.",
        discussion: """
        NODE is host:port, or a node id prefix (then the cluster is found from the seeds or --context).
        The log comes from, in order: the context's log-command; the node's log file when the node
        runs on this host; else SLOWLOG / LATENCY LATEST / COMMANDLOG, with a line saying why.

        Examples:
          shardtop logs 127.0.0.1:7000 --lines 20
          shardtop logs 127.0.0.1:7000 -f --grep failover
          shardtop logs 7a0e99e7 10.0.0.5:6379
          shardtop logs 10.0.0.5:6379 --context prod -f     (log-command from the config file)
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
        // A template needs the node's id and hostname only for {id}, {hostname} and {pod}.
        let (address, id, hostname) = try await locate(direct: direct, seeds: seeds, options: options, needsNode: selector.template == nil)

        let client = NodeClient(address: address, options: options)
        defer { Task { await client.close() } }
        let choice = await selector.choose(for: address, id: id, hostname: hostname, client: client)
        let parser = LogLineParser(timeZone: .current)
        let source = choice.makeSource(client: client, lines: lines, follow: follow, parser: parser)
        let printer = LogLinePrinter(colour: isatty(STDOUT_FILENO) == 1, timeZone: .current)

        let interrupt = Interrupt()
        interrupt.install()
        let filter = grep?.lowercased()
        // The fallback bounds its own entries and must keep its first line (the reason).
        let limit = choice.isFallback ? Int.max : lines
        let reader = Task { () throws -> LogSourceStatus? in
            var last: LogSourceStatus?
            var first = true
            for await batch in source.batches() {
                var shown = batch.lines
                if let filter { shown = shown.filter { $0.raw.lowercased().contains(filter) } }
                // The first batch is history: --lines caps it (a command may print more than asked).
                if first, shown.count > limit { shown.removeFirst(shown.count - limit) }
                first = false
                if !shown.isEmpty {
                    // Unbuffered, so `-f | grep` sees each line as it comes.
                    FileHandle.standardOutput.write(Data((shown.map(printer.format).joined(separator: "\n") + "\n").utf8))
                }
                last = batch.status
            }
            return last
        }
        let status = try await interrupt.run(reader)
        switch status {
        case .unavailable(let reason) where choice.isFallback == false:
            throw fail("\(source.label): \(reason)")
        case .exited(let code) where code != 0 && !interrupt.wasSignalled:
            printError("\(source.label): log command exited with status \(code)")
        default:
            break
        }
    }

    /// The node's address and id: host:port is used as given (its id asked with CLUSTER MYID, for
    /// the {id} placeholder); an id prefix is looked up in one poll of the cluster.
    /// Without a log command the node itself must answer (CONFIG GET, or the fallback); with
    /// one, a dead node is exactly when its log matters, so it need not.
    /// The node's address, id and announced hostname. A node given as host:port is asked itself
    /// (its own CLUSTER NODES line); an id prefix is looked up in a snapshot of the cluster.
    private func locate(direct: NodeAddress?, seeds: [NodeAddress], options: ConnectionOptions, needsNode: Bool) async throws(ExitCode) -> (NodeAddress, String, String?) {
        if let direct {
            let client = NodeClient(address: direct, options: options)
            defer { Task { await client.close() } }
            do {
                let reply = try await client.send([["CLUSTER", "NODES"]]).first
                let myself = (reply?.string).flatMap { try? ClusterNodesParser.parse($0) }?.first { $0.flags.contains(.myself) }
                return (direct, myself?.id ?? "", myself?.hostname.flatMap { $0.isEmpty ? nil : $0 })
            } catch {
                if needsNode { throw fail("cannot reach \(direct): \(sanitizedForDisplay(String(describing: error)))") }
                return (direct, "", nil)
            }
        }
        let snapshot = try await PollOnce.snapshot(seeds: seeds, options: options, lag: connection.lagThresholds)
        let matches = snapshot.nodes.filter { $0.id.hasPrefix(node.lowercased()) }
        guard matches.count == 1, let match = matches.first else {
            throw fail(matches.isEmpty ? "no node is host:port or has an id starting with '\(node)'" : "'\(node)' matches \(matches.count) node ids; give more of the id")
        }
        return (match.address, match.id, match.hostname)
    }
}

extension LogSourceChoice {
    var isFallback: Bool { if case .fallback = self { true } else { false } }
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
