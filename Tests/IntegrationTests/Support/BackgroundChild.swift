import Foundation
import ShardtopProcess
#if canImport(Glibc)
import Glibc
#endif

/// A child left running while a test acts on it, spawned with posix_spawn like CLI.run (see there
/// why not Foundation's Process). Its stdout and stderr go to files, so nothing has to drain pipes
/// while the test waits, and the output can be read at any moment.
final class BackgroundChild: @unchecked Sendable {
    let pid: pid_t
    let outputPath: String
    let errorPath: String
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// With `separateErrors` false, stderr goes to the same file as stdout.
    init(program: String, arguments: [String], separateErrors: Bool = true) throws {
        let stem = NSTemporaryDirectory() + "shardtop-child-\(UUID().uuidString)"
        outputPath = stem + ".out"
        errorPath = separateErrors ? stem + ".err" : outputPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if separateErrors {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        let (pid, result) = ChildProcess.spawnClean(program, arguments: arguments, actions: &actions, searchPath: false)
        guard result == 0 else { throw CLIError("posix_spawn \(program) failed: \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// The exit code, or the signal number for a child a signal ended (as Process.terminationStatus
    /// gave); nil while it runs. Reaps without blocking.
    var status: Int32? {
        lock.withLock {
            if let exitStatus { return exitStatus }
            var raw: Int32 = 0
            let waited = waitpid(pid, &raw, WNOHANG)
            guard waited == pid else { return nil }
            let signal = raw & 0x7F
            exitStatus = signal == 0 ? (raw >> 8) & 0xFF : signal
            return exitStatus
        }
    }

    var isRunning: Bool { status == nil }

    func send(_ signalNumber: Int32) { if isRunning { kill(pid, signalNumber) } }

    /// Waits up to `seconds` for the exit; nil when it is still running then.
    func waitForExit(seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let status { return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return status
    }

    /// SIGKILL and reap, so no test leaves a child behind.
    func kill9() {
        guard isRunning else { return }
        kill(pid, SIGKILL)
        while isRunning { usleep(1_000) }
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    deinit {
        kill9()
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }
}
