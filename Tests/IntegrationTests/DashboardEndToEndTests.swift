import Foundation
import Testing
import ShardtopCore
import ShardtopRedis

/// Drives the real binary in tmux against a real lab cluster, the way an operator sees it.
@Suite(.serialized) struct DashboardEndToEndTests {
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

        let header = try await session.waitFor(timeout: 15) { $0.contains("6 nodes") }
        #expect(header.contains("cluster ok"), "\(header)")

        for (key, title) in [("2", "ADDRESS"), ("3", "slot"), ("4", "Replication"), ("5", "Balance"), ("6", "Events"), ("1", "PRIMARY")] {
            session.send(key)
            let screen = try await session.waitFor(timeout: 5) { $0.localizedCaseInsensitiveContains(title) }
            #expect(screen.localizedCaseInsensitiveContains(title), "screen \(key) lacks \(title)")
        }
        session.send("Tab")
        _ = try await session.waitFor(timeout: 5) { $0.contains("ADDRESS") }

        session.send("?")
        let help = try await session.waitFor(timeout: 5) { $0.contains("Keys (from the binding table") }
        #expect(help.contains("Quit shardtop"))
        session.send("?")

        session.resize(width: 60, height: 20)
        let small = try await session.waitFor(timeout: 5) { screen in screen.split(separator: "\n").first.map { $0.count <= 60 } ?? false && screen.contains("shardtop") }
        #expect(small.contains("shardtop"))
        session.resize(width: 50, height: 12)
        _ = try await session.waitFor(timeout: 5) { $0.contains("terminal too small") }
        session.resize(width: 120, height: 40)
        _ = try await session.waitFor(timeout: 5) { $0.contains("6 nodes") }

        session.send("q")
        let after = try await session.waitFor(timeout: 10) { $0.contains("EXITED=") }
        #expect(after.contains("EXITED=0"), "\(after)")
        // Restored: the shell's own output is visible and the alternate screen is gone.
        #expect(!after.contains("1 Overview"))
        let mode = session.run(["display-message", "-p", "-t", session.name, "#{alternate_on}"])
        #expect(mode.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func noTerminalIsAOneLineErrorWithExitTwo() throws {
        let result = try CLI.run(["127.0.0.1:1"])
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

    @discardableResult
    func run(_ arguments: [String]) -> String {
        let arguments = arguments.first == "display-message" ? ["-L", name] + arguments : arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func start(width: Int, height: Int, command: String) throws {
        run(["-L", name, "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
             "env", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "sh", "-c", command])
    }

    func send(_ key: String) { run(["-L", name, "send-keys", "-t", name, key]) }
    func resize(width: Int, height: Int) { run(["-L", name, "resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"]) }
    func capture() -> String { run(["-L", name, "capture-pane", "-p", "-t", name]) }
    func kill() { run(["-L", name, "kill-server"]) }

    func waitFor(timeout: Double, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !condition(screen) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            screen = capture()
        }
        return screen
    }
}
