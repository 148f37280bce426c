#if canImport(Glibc)
import Glibc
#endif

/// A child process (a lab server, a log command), spawned with posix_spawn so that it starts clean.
///
/// Foundation's Process spawns from whatever thread calls it; under Swift concurrency that thread
/// blocks most signals, and a child inherits the blocked mask, so every redis-server ignored
/// SIGTERM and could only be SIGKILLed. Here the child gets an empty mask and default handlers,
/// and its own process group, so a Ctrl-C at the terminal reaches shardtop (which then stops the
/// nodes in order) instead of killing the servers behind its back.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private var exited = false

    private init(pid: pid_t) { self.pid = pid }

    public static func spawn(path: String, arguments: [String], outputPath: String) throws(SpawnError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let (pid, result) = spawnClean(path, arguments: arguments, actions: &actions, searchPath: false)
        guard result == 0 else {
            throw SpawnError(path: path, reason: String(cString: strerror(result)))
        }
        return ChildProcess(pid: pid)
    }

    /// posix_spawn(p) with an empty signal mask, default handlers and a process group of its own
    /// (see the type's comment for why). Shared with the log command runner. Returns the pid and
    /// posix_spawn's result (0 on success).
    /// `environment` replaces this process's environment in the child when given.
    public static func spawnClean(_ program: String, arguments: [String], actions: inout posix_spawn_file_actions_t, searchPath: Bool,
                                  environment: [String: String]? = nil) -> (pid_t, Int32) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        CloseInherited.add(to: &actions)

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for pointer in envp ?? [] { free(pointer) } }
        var pid: pid_t = 0
        let result: Int32 = if let envp {
            envp.withUnsafeBufferPointer { env in
                searchPath
                    ? posix_spawnp(&pid, program, &actions, &attributes, argv, env.baseAddress)
                    : posix_spawn(&pid, program, &actions, &attributes, argv, env.baseAddress)
            }
        } else {
            searchPath
                ? posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
                : posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        }
        return (pid, result)
    }

    /// Reaps the child if it has exited; never blocks.
    public func hasExited() -> Bool {
        if exited { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result < 0 && errno == ECHILD) { exited = true }
        return exited
    }

    public func send(_ signalNumber: Int32) {
        guard !hasExited() else { return }
        _ = kill(pid, signalNumber)
    }
}

/// posix_spawn refused to start a program; the reason is strerror's text.
public struct SpawnError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "posix_spawn \(path) failed: \(reason)" }
}
