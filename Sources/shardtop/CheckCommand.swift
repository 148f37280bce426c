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
        and replicas on the same host as their primary; failed background saves, AOF write
        errors, overdue saves, shards with no persistence and no healthy replica; primaries near
        their maxmemory or maxclients, evicting, or (with --sample) forecast to fill soon. A
        primary without maxmemory is a note, not a warning.

        Examples:
          shardtop check 127.0.0.1:7000
          shardtop check 10.0.0.5:6379 --lag-bytes 10000000 || page-oncall
          shardtop check 10.0.0.5:6379 --sample 60 --fill-within 3600 --json

        Exit status: 0 healthy (warnings and notes allowed), 1 errors found, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @OptionGroup var connection: ConnectionArguments

    @Flag(help: "Print findings as JSON lines instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Poll once a second for this many seconds, so growth can be forecast (the fill-forecast finding); 0 polls once (twice when a primary has evicted keys, to tell whether it still does).", valueName: "s"))
    var sample: Double = 0

    @OptionGroup var thresholds: CapacityArguments

    func validate() throws {
        try NumericOption.check(sample, "--sample", 0...3600, unit: "s")
    }

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        let poller = ClusterPoller(seeds: seeds, options: options, lagThresholds: connection.lagThresholds)
        let first = try await PollOnce.snapshot(poller: poller, settling: true)
        let (snapshot, forecasts) = await CapacitySampling.sample(poller, from: first, seconds: sample)
        await poller.shutdown()
        let findings = ClusterCheck.findings(
            snapshot, lag: connection.lagThresholds, capacity: thresholds.capacity,
            persistence: thresholds.persistence, forecasts: forecasts
        )
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        let notes = findings.filter { $0.severity == .info }.count
        let notesText = notes > 0 ? ", \(notes) note\(notes == 1 ? "" : "s")" : ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for finding in findings {
            if json, let data = try? encoder.encode(finding) {
                print(String(decoding: TerminalSafe.json(data), as: UTF8.self))
            } else {
                print(TerminalSafe.line("\(finding.severity.label) [\(finding.code)] \(finding.message)"))
            }
        }
        let reachable = snapshot.nodes.filter { $0.error == nil }.count
        let summary = "\(snapshot.nodes.count) nodes (\(reachable) answering), \(snapshot.slotsCovered)/\(hashSlotCount) slots covered, state \(snapshot.state)"
        if errors > 0 {
            printSummary("FAIL: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\(notesText); \(summary)")
            throw ExitCode(ExitStatus.problemsFound)
        }
        printSummary("OK: \(warnings) warning\(warnings == 1 ? "" : "s")\(notesText); \(summary)")
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
