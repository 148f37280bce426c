import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// The logs screen and the incident timeline, driven in tmux against real lab clusters.
@Suite(.serialized, .oneClusterAtATime) struct LogsEndToEndTests {
    func tmux() -> Tmux? {
        guard let binary = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return nil
        }
        return Tmux(binary: binary, name: "shardtop-logs-\(UInt32.random(in: 0...UInt32.max))")
    }

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-logs-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Row index of a lab replica in the nodes table (sorted by address by default).
    func replicaRow(_ lab: LabCluster) -> (index: Int, node: LabCluster.Node) {
        let sorted = lab.nodes.sorted { $0.address < $1.address }
        let index = sorted.firstIndex { !$0.isPrimary }!
        return (index, sorted[index])
    }

    @Test func failoverFromTheDashboardShowsElectionWonInTheLogAndTimelineWithinTwoSeconds() async throws {
        guard let session = tmux(), let lab = try await TestServers.lab(.redis) else { return }
        defer { lab.stop() }
        let state = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        try session.start(width: 140, height: 40, command: "XDG_STATE_HOME=\(state) \(CLI.binaryPath) \(lab.seed) --interval 0.5; sleep 30")
        defer { session.kill() }
        _ = try await session.waitFor(timeout: 15) { $0.contains("6 nodes") && $0.contains("cluster ok") }

        session.send("2")
        _ = try await session.waitFor(timeout: 5) { $0.contains("ADDRESS") }
        let (row, replica) = replicaRow(lab)
        for _ in 0..<row { session.send("j") }
        session.send("7")
        _ = try await session.waitFor(timeout: 10) { $0.contains("log of \(replica.address)") && $0.contains("following") }
        session.send("2")
        session.send("F")
        // Wait for the whole dialog: a capture can land between the title and the body being drawn.
        let dialog = try await session.waitFor(timeout: 5) {
            $0.contains("Failover to \(replica.address)?") && $0.contains("CLUSTER FAILOVER (sent to") && $0.contains("lag")
        }
        #expect(dialog.contains("CLUSTER FAILOVER (sent to \(replica.address))"))
        #expect(dialog.contains("lag"))
        session.send("y")
        let sent = ContinuousClock.now
        session.send("7")
        let log = try await session.waitFor(timeout: 5, poll: .milliseconds(50)) { $0.contains("Failover election won") }
        let took = ContinuousClock.now - sent
        #expect(log.contains("Failover election won"))
        #expect(took < .seconds(2), "the election-won line took \(took) to show in the log view")

        session.send("6")
        // The log line can arrive before the poll that sees the role flip and before the tracker's
        // journal entry, so wait for all three to share the timeline.
        let timeline = try await session.waitFor(timeout: 5) {
            $0.contains("log: failover election won") && $0.contains("promoted to primary") && $0.contains("failover succeeded")
        }
        #expect(timeline.contains("log: failover election won"))
        #expect(timeline.contains("promoted to primary"), "the state-diff event shares the timeline: \(timeline)")
        #expect(timeline.contains("failover succeeded"), "the journal entry shares the timeline")

        // Enter on the log event jumps back to the lines around it.
        let lines = timeline.split(separator: "\n")
        let eventRow = try #require(lines.firstIndex { $0.contains("log: failover election won") })
        let firstRow = try #require(lines.firstIndex { $0.contains("TIME") }) + 1
        for _ in 0..<(eventRow - firstRow) { session.send("j") }
        session.send("Enter")
        let around = try await session.waitFor(timeout: 3) { $0.contains("around") && $0.contains("Failover election won") }
        #expect(around.contains("Failover election won"))
    }

    @Test func aCommandTemplateSourceSaysWhenItExitsAndRestarts() async throws {
        guard let session = tmux(), let lab = try await TestServers.lab(.redis, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for node in lab.nodes {
            let lines = (1...3).map { "4242:M 22 Nov 2026 10:00:0\($0).000 * line \($0) of node \(node.address.port)" }
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(directory)/log-\(node.address.port).txt", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: "\(directory)/shardtop", withIntermediateDirectories: true)
        // The template is an argument list: {port} fills one argument, never a shell string.
        try """
        clusters:
          lab:
            seeds: ["\(lab.seed)"]
            log-command: "tail -n 3 \(directory)/log-{port}.txt"
        """.write(toFile: "\(directory)/shardtop/config.yaml", atomically: true, encoding: .utf8)

        try session.start(width: 140, height: 30, command: "XDG_CONFIG_HOME=\(directory) XDG_STATE_HOME=\(directory) \(CLI.binaryPath) --context lab --interval 0.5; sleep 30")
        defer { session.kill() }
        _ = try await session.waitFor(timeout: 15) { $0.contains("3 nodes") }
        session.send("2")
        session.send("7")
        let first = lab.nodes.sorted { $0.address < $1.address }[0]
        let exited = try await session.waitFor(timeout: 10) { $0.contains("log command exited with status 0: R restarts it") }
        #expect(exited.contains("line 3 of node \(first.address.port)"))
        #expect(exited.contains("command tail -n 3"))

        let handle = try #require(FileHandle(forWritingAtPath: "\(directory)/log-\(first.address.port).txt"))
        handle.seekToEndOfFile()
        handle.write(Data("4242:M 22 Nov 2026 10:00:09.000 * RESTARTED-MARK\n".utf8))
        try handle.close()
        session.send("R")
        let restarted = try await session.waitFor(timeout: 10) { $0.contains("RESTARTED-MARK") }
        #expect(restarted.contains("R restarts it"), "it exits again after the restart, and says so")
    }
}
