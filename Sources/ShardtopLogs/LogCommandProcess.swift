import ShardtopProcess
#if canImport(Glibc)
import Glibc
#endif

/// The process behind a `CommandLogSource`: spawned with `ChildProcess.spawnClean` (not
/// Foundation's Process, which would pass the calling thread's blocked signal mask on to the
/// child), output on a non-blocking pipe.
final class LogCommandProcess: @unchecked Sendable {
    let pid: pid_t
    private let output: Int32
    private var reaped: Int32?
    private var closed = false

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    private init(pid: pid_t, output: Int32) {
        self.pid = pid
        self.output = output
    }

    static func start(_ arguments: [String]) throws(SpawnError) -> LogCommandProcess {
        guard let program = arguments.first else { throw SpawnError(description: "log-command is empty") }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(description: "cannot create a pipe: \(String(cString: strerror(errno)))") }
        // Close-on-exec so no other process shardtop starts inherits this pipe and holds it open.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        let (pid, result) = ChildProcess.spawnClean(program, arguments: Array(arguments.dropFirst()), actions: &actions, searchPath: true)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw SpawnError(description: "cannot run \(program): \(String(cString: strerror(result)))")
        }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return LogCommandProcess(pid: pid, output: fds[0])
    }

    /// What the pipe holds now: bytes, nil when nothing is waiting, and whether the output ended.
    func readAvailable() -> (bytes: [UInt8]?, endOfOutput: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let got = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
        if got > 0 { return (Array(buffer[0..<got]), false) }
        if got == 0 { return (nil, true) }
        return (nil, !(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    }

    /// The exit status once the output has closed. A command that closes its output but keeps
    /// running is stopped after a grace period rather than waited on for ever.
    func waitForExit() async -> Int32 {
        for _ in 0..<40 {
            if let status = reap() { return status }
            try? await Task.sleep(for: .milliseconds(25))
        }
        stop()
        return reaped ?? -1
    }

    /// Exit code, or 128+signal like a shell reports a killed command; nil while running.
    private func reap() -> Int32? {
        if let reaped { return reaped }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let signal = status & 0x7f
        reaped = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return reaped
    }

    /// SIGTERM to this child only (never its group: that could include processes the operator's
    /// command handed off to on purpose), then SIGKILL if it lingers; always reaps.
    func stop() {
        defer {
            if !closed { close(output) }
            closed = true
        }
        guard reap() == nil else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            if reap() != nil { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        reaped = 128 + SIGKILL
    }
}
