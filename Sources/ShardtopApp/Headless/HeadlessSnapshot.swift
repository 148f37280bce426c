import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop snapshot`: one poll of every node, as a table or as JSON.
public enum HeadlessSnapshot {
    public static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, json: Bool) async throws {
        let snapshot = try await PollOnce.snapshot(seeds: seeds, options: options, lag: lag)
        let findings = ClusterCheck.findings(snapshot, lag: lag)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(SnapshotDocument(snapshot: snapshot, findings: findings))
            FileHandle.standardOutput.write(TerminalSafe.json(data))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            print(SnapshotTable.render(snapshot, findings: findings), terminator: "")
        }
    }
}

/// One poll for the headless commands, failing with a one-line reason when nothing answers.
public enum PollOnce {
    /// One snapshot; with `settling`, polled again while views disagree (see `ClusterPoller.settled`).
    public static func snapshot(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, settling: Bool = false) async throws(ExitCode) -> ClusterSnapshot {
        let poller = ClusterPoller(seeds: seeds, options: options, lagThresholds: lag)
        var (snapshot, _) = await poller.tick()
        if settling { snapshot = await poller.settled(snapshot) }
        await poller.shutdown()
        guard snapshot.nodes.contains(where: { $0.error == nil && $0.lastSeen != nil }) else {
            let reasons = snapshot.nodes.compactMap { node in node.error.map { "\(node.address): \($0)" } }
            throw fail("no node answered: \(reasons.first ?? "no seed reachable")\(reasons.count > 1 ? " (and \(reasons.count - 1) more)" : "")")
        }
        return snapshot
    }
}
