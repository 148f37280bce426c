#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Stops a lab's servers when the shardtop that started them dies without stopping them.
///
/// A lab stops its servers itself on every way out it sees (q, Ctrl-C, SIGTERM, SIGHUP, an error),
/// but nothing runs in a process that is SIGKILLed or crashes: its servers went on holding their
/// ports and memory, found only by `ps`. Linux's parent-death signal does not fit: it follows the
/// *thread* that spawned the child, and the threads of Swift's pool come and go.
///
/// So each lab starts one small `/bin/sh` beside its servers, reading the lab's end of a socket pair
/// on its standard input. The lab writes each server's pid as it starts it, `-pid` when it stops or
/// kills one itself, and `done` before an orderly stop, after which the watchdog exits. If the
/// socket reaches end-of-file without `done`, the kernel closed it because the lab process is gone:
/// the watchdog sends the pids it still holds SIGTERM and SIGCONT (a paused server handles the
/// TERM once resumed) and exits. The servers' pids stay theirs until then: they are still running,
/// and a pid the lab killed or reaped itself was taken off first.
public final class OrphanWatchdog: @unchecked Sendable {
    /// The watchdog's own pid.
    public let pid: pid_t
    private let socket: Int32
    private let lock = NSLock()
    private var open = true

    /// POSIX sh, builtins only (dash has `kill` built in). The first line names it in `ps`.
    static let script = """
        : shardtop lab watchdog, stops the lab servers if shardtop dies without stopping them
        pids=
        while read -r line; do
          case $line in
            done) exit 0 ;;
            -*) keep=; for p in $pids; do [ "$p" = "${line#-}" ] || keep="$keep $p"; done; pids=$keep ;;
            *) pids="$pids $line" ;;
          esac
        done
        [ -z "$pids" ] && exit 0
        kill -TERM $pids 2>/dev/null
        kill -CONT $pids 2>/dev/null
        exit 0
        """

    private init(pid: pid_t, socket: Int32) {
        self.pid = pid
        self.socket = socket
    }

    /// Starts the watchdog; nil when it cannot (no /bin/sh, no descriptors left): the lab then runs
    /// as it did before there was one.
    public static func start(shell: String = "/bin/sh") -> OrphanWatchdog? {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pair[1], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let (pid, result) = ChildProcess.spawnClean(shell, arguments: ["-c", script], actions: &actions, searchPath: false)
        close(pair[1])
        guard result == 0 else {
            close(pair[0])
            return nil
        }
        return OrphanWatchdog(pid: pid, socket: pair[0])
    }

    /// A server the lab started: stopped by the watchdog if the lab dies first.
    public func watch(_ server: pid_t) { say("\(server)") }

    /// A server the lab stopped, killed or reaped itself.
    public func forget(_ server: pid_t) { say("-\(server)") }

    /// The lab stops its servers itself: the watchdog exits without signalling anyone. Waits for
    /// it, so no zombie is left. Safe to call twice.
    public func release() {
        guard say("done", last: true) else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Writes one line; MSG_NOSIGNAL, so a watchdog that died cannot SIGPIPE the lab.
    @discardableResult
    private func say(_ line: String, last: Bool = false) -> Bool {
        lock.withLock {
            guard open else { return false }
            let bytes = Array((line + "\n").utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                sent += n
            }
            if last {
                open = false
                close(socket)
            }
            return true
        }
    }

    deinit { release() }
}
