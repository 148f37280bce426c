import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// Ctrl-C while `failover` follows a failover that cannot complete (its primary hangs): the
/// operator gets the terminal back at once, with what was sent and what is still pending on the
/// server, instead of waiting out the 10 s deadline.
@Suite(.serialized, .oneClusterAtATime) struct FailoverInterruptTests {
    @Test(arguments: Engine.allCases)
    func ctrlCWhileFollowingAHungFailoverReturnsAtOnceAndSaysWhatIsPending(engine: Engine) async throws {
        // A long node timeout: the cluster must not fail the paused primary over by itself meanwhile.
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1, nodeTimeoutMillis: 30000) else { return }
        defer { lab.stop() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-failover-int-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: state) }

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (ready, _) = try await pollUntil(poller, seconds: 10, interval: .milliseconds(200)) { snapshot, _ in
            snapshot.nodes.contains { $0.role == .replica && $0.primaryLinkStatus == "up" }
        }
        await poller.shutdown()
        let replica = try #require(ready.nodes.first { $0.role == .replica && $0.primaryLinkStatus == "up" })
        let primary = try #require(replica.primaryId.flatMap { ready.node(id: $0) })

        lab.pause(primary.address)
        defer { lab.resume(primary.address) }
        let child = try RunningCLI(["failover", "\(replica.address)", "--yes", "--journal", "\(state)/actions.jsonl"])
        let sent = try await child.waitForOutput("sent; waiting", seconds: 20)
        guard sent else {
            kill(child.pid, SIGINT)
            let exit = try await child.waitForExit(seconds: 15)
            Issue.record("no 'sent' line within 20 s (exit \(String(describing: exit))): \(child.output) \(child.errorOutput)")
            return
        }
        try await Task.sleep(for: .milliseconds(500))  // well inside the follow loop, on a hung primary

        kill(child.pid, SIGINT)
        let exit = try await child.waitForExit(seconds: 3)
        let (status, seconds) = try #require(exit, "still running 3 s after SIGINT: \(child.output) \(child.errorOutput)")
        print("[\(engine)] failover exited \(String(format: "%.2f", seconds)) s after SIGINT with \(status)")
        #expect(status == 1, "exit status: \(status); \(child.errorOutput)")
        let message = child.errorOutput
        #expect(message.contains("CLUSTER FAILOVER was sent to \(replica.address) at "), "\(message)")
        #expect(message.contains("may still complete it within its 5 s manual-failover timeout"), "\(message)")
        #expect(message.contains("a CLUSTER FAILOVER cannot be recalled"), "\(message)")
        #expect(message.contains("check with `shardtop check`"), "\(message)")

        let journal = try String(contentsOfFile: "\(state)/actions.jsonl", encoding: .utf8)
        let last = try #require(journal.split(separator: "\n").last.map { try JSONDecoder().decode(ActionRecord.self, from: Data($0.utf8)) })
        #expect(last.outcome == .cancelled, "journal: \(last)")
    }
}
