import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop check`: one settled poll (more with `sample`, for rates and forecasts), every
/// finding, and an exit status a script can branch on.
public enum HeadlessCheck {
    /// Exits 1 (ExitStatus.problemsFound) when an error is found.
    public static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, json: Bool, sample: Double = 0,
                           capacity: CapacityThresholds = .default, persistence: PersistenceThresholds = .default) async throws {
        let poller = ClusterPoller(seeds: seeds, options: options, lagThresholds: lag)
        let first: ClusterSnapshot
        do { first = try await PollOnce.snapshot(poller: poller, settling: true) } catch {
            await poller.shutdown()
            throw error
        }
        let (snapshot, forecasts) = await CapacitySampling.sample(poller, from: first, seconds: sample)
        await poller.shutdown()
        let findings = ClusterCheck.findings(snapshot, lag: lag, capacity: capacity, persistence: persistence, forecasts: forecasts)
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
            printSummary(json: json, "FAIL: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\(notesText); \(summary)")
            throw ExitCode(ExitStatus.problemsFound)
        }
        printSummary(json: json, "OK: \(warnings) warning\(warnings == 1 ? "" : "s")\(notesText); \(summary)")
    }

    private static func printSummary(json: Bool, _ line: String) {
        let line = TerminalSafe.line(line)  // carries the server's cluster_state
        if json {
            StandardOutput.writeError(Data((line + "\n").utf8))
        } else {
            print(line)
        }
    }
}
