import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop check`: one settled poll, every finding, and an exit status a script can branch on.
public enum HeadlessCheck {
    /// Exits 1 (ExitStatus.problemsFound) when an error is found.
    public static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, json: Bool) async throws {
        let snapshot = try await PollOnce.snapshot(seeds: seeds, options: options, lag: lag, settling: true)
        let findings = ClusterCheck.findings(snapshot, lag: lag)
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
            printSummary(json: json, "FAIL: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); \(summary)")
            throw ExitCode(ExitStatus.problemsFound)
        }
        printSummary(json: json, "OK: \(warnings) warning\(warnings == 1 ? "" : "s"); \(summary)")
    }

    private static func printSummary(json: Bool, _ line: String) {
        let line = TerminalSafe.line(line)  // carries the server's cluster_state
        if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
        }
    }
}
