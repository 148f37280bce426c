import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the cluster's health, like `redis-cli --cluster check` and more.",
        discussion: """
        Looks for uncovered slots, open (migrating/importing) slots, nodes that disagree on slot
        ownership (after up to 3 s for gossip to spread a change that just happened), failed or
        unreachable nodes, primaries without a healthy replica, lagging replicas,
        and replicas on the same host as their primary.

        Examples:
          shardtop check 127.0.0.1:7000
          shardtop check 10.0.0.5:6379 --lag-bytes 10000000 || page-oncall

        Exit status: 0 healthy (warnings allowed), 1 errors found, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @OptionGroup var connection: ConnectionArguments

    @Flag(help: "Print findings as JSON lines instead of text.")
    var json = false

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        let snapshot = try await PollOnce.snapshot(seeds: seeds, options: options, lag: connection.lagThresholds, settling: true)
        let findings = ClusterCheck.findings(snapshot, lag: connection.lagThresholds)
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for finding in findings {
            if json, let data = try? encoder.encode(finding) {
                print(String(decoding: TerminalSafe.json(data), as: UTF8.self))
            } else {
                print(TerminalSafe.line("\(finding.severity == .error ? "ERROR" : "WARN ") [\(finding.code)] \(finding.message)"))
            }
        }
        let reachable = snapshot.nodes.filter { $0.error == nil }.count
        let summary = "\(snapshot.nodes.count) nodes (\(reachable) answering), \(snapshot.slotsCovered)/\(hashSlotCount) slots covered, state \(snapshot.state)"
        if errors > 0 {
            printSummary("FAIL: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); \(summary)")
            throw ExitCode(ExitStatus.problemsFound)
        }
        printSummary("OK: \(warnings) warning\(warnings == 1 ? "" : "s"); \(summary)")
    }

    private func printSummary(_ line: String) {
        let line = TerminalSafe.line(line)  // carries the server's cluster_state
        if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
        }
    }
}
