import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopLab
import ShardtopProcess
import ShardtopRedis

/// A lab whose shardtop is SIGKILLed (or crashes) runs no code of its own on the way out: its
/// watchdog (`OrphanWatchdog`) stops the servers instead of leaving them on their ports.
@Suite(.serialized, .oneClusterAtATime) struct LabOrphanTests {
    @Test(arguments: Engine.allCases)
    func serversStopWhenTheLabProcessIsKilled(engine: Engine) async throws {
        guard let server = TestServers.binary(engine) else { return }
        let child = try RunningCLI(["lab", "--no-dashboard", "--primaries", "3", "--replicas", "1", "--server", server])
        guard try await child.waitForOutput("lab cluster ready", seconds: 60) else {
            kill(child.pid, SIGINT)
            let exit = try await child.waitForExit(seconds: 15)
            Issue.record("no ready line within 60 s (exit \(String(describing: exit))): \(child.output) \(child.errorOutput)")
            return
        }
        let seedText = try #require(child.output.split(separator: "\n").first { $0.contains("seed ") }?
            .split(separator: " ").last.map(String.init))
        let seed = try #require(NodeAddress(seedText), "\(child.output)")
        let pids = try await Self.serverPids(seed: seed)
        #expect(pids.count == 6, "\(pids)")

        kill(child.pid, SIGKILL)
        _ = try await child.waitForExit(seconds: 10)
        var alive = pids
        for _ in 0..<200 where !alive.isEmpty {
            alive = alive.filter(Self.isRunning)
            if !alive.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        // Whatever the outcome, this test leaves nothing behind: the servers, and the directory the
        // killed lab kept ("starting 6 nodes of ... in DIR" on its stderr).
        for pid in alive { kill(pid, SIGKILL) }
        if let line = child.errorOutput.split(separator: "\n").first(where: { $0.contains("starting") }),
           let directory = line.split(separator: " ").last, directory.contains("shardtop-lab-") {
            try? FileManager.default.removeItem(atPath: String(directory))
        }
        #expect(alive.isEmpty, "servers still running 20 s after their lab was SIGKILLed: \(alive)")
    }

    /// An orderly stop tells the watchdog first: it exits without signalling anyone, and a server
    /// the lab stopped or killed itself is no longer on its list.
    @Test func releasedWatchdogLeavesProcessesAlone() async throws {
        let sleeper = try ChildProcess.spawn(path: "/bin/sleep", arguments: ["30"], outputPath: "/dev/null")
        defer { sleeper.send(SIGKILL); _ = Self.reap(sleeper) }
        let watchdog = try #require(OrphanWatchdog.start())
        watchdog.watch(sleeper.pid)
        watchdog.release()
        #expect(kill(watchdog.pid, 0) != 0, "the watchdog is still there after release")
        #expect(Self.isRunning(sleeper.pid), "release signalled a watched process")
    }

    /// The pids of the lab's servers, each from its own INFO (process_id).
    static func serverPids(seed: NodeAddress) async throws -> [Int32] {
        let poller = ClusterPoller(seeds: [seed], options: TestServers.fastOptions)
        let (snapshot, _) = try await pollUntil(poller, seconds: 20, interval: .milliseconds(200)) { snapshot, _ in snapshot.nodes.count == 6 }
        await poller.shutdown()
        var pids: [Int32] = []
        for node in snapshot.nodes {
            let connection = try await RedisConnection.connect(to: node.address, options: TestServers.fastOptions)
            defer { connection.close() }
            let text = try #require(try await connection.send([["INFO", "server"]]).first?.string)
            let line = try #require(text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("process_id:") })
            pids.append(try #require(Int32(line.dropFirst("process_id:".count))))
        }
        return pids
    }

    /// Running and not a zombie (a server whose parent died is reaped by whoever adopted it, maybe later).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    static func reap(_ process: ChildProcess) -> Bool {
        for _ in 0..<200 where !process.hasExited() { usleep(10_000) }
        return process.hasExited()
    }
}
