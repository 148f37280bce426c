import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// One journal file, two clusters on the same host: each dashboard's events screen shows only its
/// own cluster's actions.
@Suite(.serialized, .oneClusterAtATime) struct JournalIsolationTests {
    @Test func eachDashboardShowsOnlyItsOwnClustersActions() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        guard let first = try await TestServers.lab(.redis, primaries: 2, replicas: 0) else { return }
        defer { first.stop() }
        guard let second = try await TestServers.lab(.redis, primaries: 2, replicas: 0) else { return }
        defer { second.stop() }
        let state = NSTemporaryDirectory() + "shardtop-journal-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let environment = ["XDG_STATE_HOME": state]

        // An action on the first cluster only, journaled in the shared default journal.
        let moved = try await CLI.run(["migrate", "--slots", "11-12", "--to", "\(first.nodes[1].address)", "--yes", "\(first.seed)"],
                                      environment: environment)
        #expect(moved.status == 0, "\(moved.output)\(moved.errorOutput)")

        for (lab, expectsEntry) in [(second, false), (first, true)] {
            let session = Tmux(binary: tmux, name: "shardtop-journal-\(UInt32.random(in: 0...UInt32.max))")
            try session.start(width: 160, height: 40, command: "XDG_STATE_HOME=\(state) \(CLI.binaryPath) \(lab.seed) --interval 0.5; echo EXITED=$?; sleep 30")
            defer { session.kill() }
            _ = try await session.waitFor(timeout: 20) { $0.contains("2 nodes") && $0.contains("cluster ok") }
            session.send("6")
            // A second poll has happened by then, so the journal (loaded with the first) is in.
            try await Task.sleep(for: .seconds(1.5))
            let events = try await session.waitFor(timeout: 10) { $0.contains("Events") }
            #expect(events.contains("migrate succeeded") == expectsEntry, "\(lab.seed): \(events)")
            session.send("q")
            _ = try await session.waitFor(timeout: 10) { $0.contains("EXITED=") }
        }
    }
}
