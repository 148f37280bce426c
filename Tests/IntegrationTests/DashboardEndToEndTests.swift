import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopProcess
import ShardtopRedis

/// Drives the real binary in tmux against a real lab cluster, the way an operator sees it.
@Suite(.serialized, .oneClusterAtATime) struct DashboardEndToEndTests {
    @Test func dashboardShowsTheClusterSwitchesScreensResizesAndRestoresTheTerminal() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        guard let lab = try await TestServers.lab(.redis) else { return }
        defer { lab.stop() }
        let session = Tmux(binary: tmux, name: "shardtop-e2e-\(UInt32.random(in: 0...UInt32.max))")
        try session.start(width: 120, height: 40, command: "\(CLI.binaryPath) \(lab.seed) --interval 0.5; echo EXITED=$?; sleep 30")
        defer { session.kill() }

        let header = try await session.waitFor(timeout: 15) { $0.contains("6 nodes") && $0.contains("cluster ok") }
        #expect(header.contains("cluster ok"), "\(header)")

        for (key, title) in [("2", "ADDRESS"), ("3", "slot"), ("4", "Replication"), ("5", "Balance"), ("6", "Events"), ("1", "PRIMARY")] {
            session.send(key)
            let screen = try await session.waitFor(timeout: 5) { $0.localizedCaseInsensitiveContains(title) }
            #expect(screen.localizedCaseInsensitiveContains(title), "screen \(key) lacks \(title)")
        }
        session.send("Tab")
        _ = try await session.waitFor(timeout: 5) { $0.contains("ADDRESS") }

        session.send("?")
        let help = try await session.waitFor(timeout: 5) { $0.contains("Keys (from the binding table") && $0.contains("Quit shardtop") }
        #expect(help.contains("Quit shardtop"))
        session.send("?")

        session.resize(width: 60, height: 20)
        let small = try await session.waitFor(timeout: 5) { screen in screen.split(separator: "\n").first.map { $0.count <= 60 } ?? false && screen.contains("shardtop") }
        #expect(small.contains("shardtop"))
        session.resize(width: 50, height: 12)
        _ = try await session.waitFor(timeout: 5) { $0.contains("terminal too small") }
        session.resize(width: 120, height: 40)
        _ = try await session.waitFor(timeout: 5) { $0.contains("6 nodes") }

        // Keys stay answered while a node hangs (SIGSTOP: it accepts TCP and never replies).
        lab.pause(lab.nodes[1].address)
        defer { lab.resume(lab.nodes[1].address) }
        _ = try await session.waitFor(timeout: 10) { $0.contains("unreachable") }
        for (key, marker) in [("2", "ADDRESS"), ("1", "PRIMARY"), ("2", "ADDRESS"), ("1", "PRIMARY")] {
            let sent = ContinuousClock.now
            session.send(key)
            let screen = try await session.waitFor(timeout: 2, poll: .milliseconds(10)) { $0.contains(marker) }
            let took = ContinuousClock.now - sent
            #expect(screen.contains(marker))
            // 100 ms is the target for the UI itself; tmux's own send and capture round trips add to it.
            #expect(took < .milliseconds(400), "key \(key) took \(took) while a node hangs")
        }

        session.send("q")
        let after = try await session.waitFor(timeout: 10) { $0.contains("EXITED=") }
        #expect(after.contains("EXITED=0"), "\(after)")
        // Restored: the shell's own output is visible and the alternate screen is gone.
        #expect(!after.contains("1 Overview"))
        let mode = session.run(["display-message", "-p", "-t", session.name, "#{alternate_on}"])
        #expect(mode.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func labKeysPauseAndResumeANodeAndQuitStopsTheLab() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        guard let server = TestServers.binary(.redis) else { return }
        let session = Tmux(binary: tmux, name: "shardtop-lab-e2e-\(UInt32.random(in: 0...UInt32.max))")
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-e2e-\(UUID().uuidString)").path
        // TMPDIR tells us which lab directory (and so which server processes) belong to this run.
        try FileManager.default.createDirectory(atPath: marker, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: marker) }
        try session.start(width: 120, height: 40, command: "TMPDIR=\(marker) \(CLI.binaryPath) lab --server \(server) --node-timeout 60000 --interval 0.5; echo EXITED=$?; sleep 30")
        defer { session.kill() }
        // "cluster ok" only appears once the dashboard has a snapshot (the lab's own progress lines
        // also mention "6 nodes").
        _ = try await session.waitFor(timeout: 30) { $0.contains("cluster ok") && $0.contains("6 nodes") }

        session.send("2")
        _ = try await session.waitFor(timeout: 5) { $0.contains("ADDRESS") }
        session.send("Z")
        let paused = try await session.waitFor(timeout: 10) { $0.contains("unreachable") && $0.contains("lab: pause") }
        #expect(paused.contains("lab: pause"), "\(paused)")
        session.send("C")
        let resumed = try await session.waitFor(timeout: 10) { !$0.contains("unreachable") && $0.contains("lab: resume") }
        #expect(!resumed.contains("unreachable"))

        // Ctrl-C, not q: the terminal and the lab must be cleaned up on an interrupt too.
        session.send("C-c")
        let after = try await session.waitFor(timeout: 15) { $0.contains("EXITED=") }
        #expect(after.contains("EXITED=0"), "\(after)")
        // The lab removed its directory, so none of its servers can be left behind.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: marker)) ?? []
        #expect(leftovers.isEmpty, "lab left \(leftovers)")
    }

    @Test func noTerminalIsAOneLineErrorWithExitTwo() async throws {
        let result = try await CLI.run(["127.0.0.1:1"])
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("needs a terminal"), "\(result.errorOutput)")
        #expect(result.errorOutput.split(separator: "\n").count == 1)
    }
}

/// A thin wrapper over the tmux CLI.
struct Tmux {
    let binary: String
    let name: String

    static func find() -> String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tmux client command and returns its output.
    ///
    /// Not through Foundation's Process: `new-session` forks the tmux server, which inherits the
    /// descriptors Process uses to notice the child's exit, and `waitUntilExit` then never returns.
    /// posix_spawn + waitpid, with output in a temporary file, has nothing for the server to hold.
    @discardableResult
    func run(_ arguments: [String], readOutput: Bool = true) -> String {
        let arguments = arguments.first == "display-message" ? ["-L", name] + arguments : arguments
        let outputPath = NSTemporaryDirectory() + "shardtop-tmux-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, readOutput ? outputPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The tmux server it may fork lives on; it must not hold other tests' pipes open.
        CloseInherited.add(to: &actions)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return "" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard readOutput else { return "" }
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    func start(width: Int, height: Int, command: String) throws {
        run(["-L", name, "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
             // bash, not dash: on Ctrl-C bash waits to see whether the child died of it, so the
             // wrapper survives to print the exit status; dash exits with the child still running.
             "env", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "bash", "-c", command], readOutput: false)
    }

    func send(_ key: String) { run(["-L", name, "send-keys", "-t", name, key], readOutput: false) }
    func resize(width: Int, height: Int) { run(["-L", name, "resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"], readOutput: false) }
    func capture() -> String { run(["-L", name, "capture-pane", "-p", "-t", name]) }
    /// Ends the session and what runs in it. kill-server alone leaves `bash -c` waiting on its
    /// foreground child (the hangup does not reach it), so the pane's process group is sent SIGHUP
    /// first, then the server is killed.
    func kill() {
        let pane = run(["-L", name, "display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        if let pid = Int32(pane), pid > 1 {
            Glibc.kill(-pid, SIGHUP)
            Glibc.kill(pid, SIGHUP)
            usleep(200_000)
        }
        run(["-L", name, "kill-server"], readOutput: false)
    }

    /// The first screen that meets `condition` and is whole: a capture can land while the
    /// dashboard is still writing a frame (header drawn, body not yet), so a match counts only
    /// when a second capture 30 ms later is the same. Returns the last capture on timeout.
    func waitFor(timeout: Double, poll: Duration = .milliseconds(100), _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while Date() < deadline {
            if condition(screen) {
                try await Task.sleep(for: .milliseconds(30))
                let again = capture()
                if again == screen { return screen }
                screen = again
                continue
            }
            try await Task.sleep(for: poll)
            screen = capture()
        }
        return screen
    }
}
