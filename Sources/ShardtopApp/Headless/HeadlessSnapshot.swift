import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop snapshot`: one poll of every node, as a table or as JSON.
public enum HeadlessSnapshot {
    public static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, json: Bool,
                           capacity: CapacityThresholds = .default, persistence: PersistenceThresholds = .default) async throws {
        let snapshot = try await PollOnce.snapshot(seeds: seeds, options: options, lag: lag)
        let findings = ClusterCheck.findings(snapshot, lag: lag, capacity: capacity, persistence: persistence)
        PhaseLog.mark("findings")
        if json {
            // `JSONText` escapes DEL and the C1 controls itself (see `TerminalSafe.json`).
            var document = SnapshotDocument(snapshot: snapshot, findings: findings).prettyJSON
            PhaseLog.mark("encoded")
            document.append(UInt8(ascii: "\n"))
            StandardOutput.write(Data(document))
        } else {
            print(SnapshotTable.render(snapshot, findings: findings), terminator: "")
        }
        PhaseLog.mark("written")
    }
}

/// One poll for the headless commands, failing with a one-line reason when nothing answers.
public enum PollOnce {
    /// One snapshot; with `settling`, polled again while views disagree (see `ClusterPoller.settled`).
    public static func snapshot(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, settling: Bool = false) async throws(ExitCode) -> ClusterSnapshot {
        let poller = ClusterPoller(seeds: seeds, options: options, lagThresholds: lag)
        let result: Result<ClusterSnapshot, ExitCode>
        do { result = .success(try await snapshot(poller: poller, settling: settling)) } catch { result = .failure(error) }
        await poller.shutdown()
        PhaseLog.mark("closed")
        return try result.get()
    }

    /// The same on a poller the caller keeps (and shuts down), for more polls after the first.
    public static func snapshot(poller: ClusterPoller, settling: Bool = false) async throws(ExitCode) -> ClusterSnapshot {
        var (snapshot, _) = await poller.tick()
        PhaseLog.mark("polled")
        if settling { snapshot = await poller.settled(snapshot) }
        guard snapshot.nodes.contains(where: { $0.error == nil && $0.lastSeen != nil }) else {
            let reasons = snapshot.nodes.compactMap { node in node.error.map { "\(node.address): \($0)" } }
            throw fail("no node answered: \(reasons.first ?? "no seed reachable")\(reasons.count > 1 ? " (and \(reasons.count - 1) more)" : "")")
        }
        return snapshot
    }
}
