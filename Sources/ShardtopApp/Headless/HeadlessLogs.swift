import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLogs
import ShardtopRedis
#if canImport(Glibc)
import Glibc
#endif

/// `shardtop logs`: one node's own log (its file, the operator's command, or the RESP fallback),
/// printed, filtered and followed until Ctrl-C.
public enum HeadlessLogs {
    /// `node` as typed; `direct` is it parsed as host:port, when it is one (else an id prefix).
    public static func run(node: String, direct: NodeAddress?, seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds,
                           selector: LogSourceSelector, lines: Int, follow: Bool, grep: String?) async throws {
        // A template needs the node's id and hostname only for {id}, {hostname} and {pod}.
        let (address, id, hostname) = try await locate(node: node, direct: direct, seeds: seeds, options: options, lag: lag, needsNode: selector.template == nil)

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
                    StandardOutput.write(Data((shown.map(printer.format).joined(separator: "\n") + "\n").utf8))
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
    private static func locate(node: String, direct: NodeAddress?, seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, needsNode: Bool) async throws(ExitCode) -> (NodeAddress, String, String?) {
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
        let snapshot = try await PollOnce.snapshot(seeds: seeds, options: options, lag: lag)
        let matches = snapshot.nodes.filter { $0.id.hasPrefix(node.lowercased()) }
        guard matches.count == 1, let match = matches.first else {
            throw fail(matches.isEmpty ? "no node is host:port or has an id starting with '\(node)'" : "'\(node)' matches \(matches.count) node ids; give more of the id")
        }
        return (match.address, match.id, match.hostname)
    }
}

extension LogSourceChoice {
    public var isFallback: Bool { if case .fallback = self { true } else { false } }
}

