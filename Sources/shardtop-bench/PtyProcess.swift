import ShardtopApp
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program running on its own pseudo-terminal, for `bench dashboard`.
///
/// The child is spawned with posix_spawn: a new session (so the pty becomes its controlling
/// terminal when it opens the slave), an empty signal mask and default handlers. A dedicated
/// thread drains the master side and only counts bytes (plus a small tail, to explain an early
/// exit), so the child can never block on a full pty.
final class PtyProcess: @unchecked Sendable {
    let name: String
    let pid: pid_t
    let commandLine: String
    private let master: Int32
    private let lock = NSLock()
    private var byteCount = 0
    private var tail: [UInt8] = []
    private var readerFinished = false
    private var reaped = false
    private var waitStatus: Int32 = 0

    private static let tailLimit = 4096

    private init(name: String, pid: pid_t, master: Int32, commandLine: String) {
        self.name = name
        self.pid = pid
        self.master = master
        self.commandLine = commandLine
    }

    /// Starts `path arguments` on a fresh pty of `columns` x `rows`.
    static func spawn(
        name: String, path: String, arguments: [String], environment: [String: String], columns: Int, rows: Int
    ) throws -> PtyProcess {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else {
            throw BenchFailure("openpty failed: \(String(cString: strerror(errno)))")
        }
        // Neither end may leak into the other benchmarked program (a leaked master keeps a pty alive).
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        defer { close(slave) }
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        var nameBuffer = [CChar](repeating: 0, count: 256)
        guard ttyname_r(slave, &nameBuffer, nameBuffer.count) == 0 else {
            close(master)
            throw BenchFailure("ttyname of the pty slave failed")
        }
        let slavePath = String(cString: nameBuffer)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid (glibc runs file actions last), so it becomes the controlling tty.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID (a GNU extension Swift does not import)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | setsid))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(master)
            throw BenchFailure("posix_spawn \(path) failed: \(String(cString: strerror(result)))")
        }
        let process = PtyProcess(name: name, pid: pid, master: master, commandLine: ([path] + arguments).joined(separator: " "))
        let thread = Thread { process.drain() }
        thread.name = "bench-pty-\(name)"
        thread.start()
        return process
    }

    /// Reads until the slave side is gone (EIO once the child and everything it spawned exited).
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count > 0 {
                lock.withLock {
                    byteCount += count
                    tail.append(contentsOf: buffer[0..<count])
                    if tail.count > Self.tailLimit { tail.removeFirst(tail.count - Self.tailLimit) }
                }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        lock.withLock { readerFinished = true }
    }

    /// Bytes the program has written to its terminal so far.
    var bytesWritten: Int { lock.withLock { byteCount } }

    /// Types into the terminal, as a user would.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reaps the child if it has exited; never blocks.
    var hasExited: Bool {
        lock.withLock {
            if reaped { return true }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                reaped = true
                waitStatus = status
            } else if result < 0 && errno == ECHILD {
                reaped = true
                waitStatus = -1
            }
            return reaped
        }
    }

    /// "exit 0", "signal 15", or "running".
    var exitDescription: String {
        guard hasExited else { return "running" }
        let status = lock.withLock { waitStatus }
        if status == -1 { return "reaped elsewhere" }
        let signal = status & 0x7F
        if signal == 0 { return "exit \((status >> 8) & 0xFF)" }
        return "signal \(signal)"
    }

    var exitedCleanly: Bool { exitDescription == "exit 0" }

    /// Waits up to `timeout` for the child to exit.
    func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !hasExited {
            if Date() > deadline { return false }
            usleep(10_000)
        }
        return true
    }

    func send(_ signalNumber: Int32) {
        guard !hasExited else { return }
        _ = kill(pid, signalNumber)
    }

    /// Ends the child however it takes ("q", then SIGTERM, then SIGKILL), waits for the
    /// reader to see the pty close, and releases the master. Returns how the child ended.
    func quit(typing key: String = "q") -> QuitOutcome {
        var how = "q"
        if !hasExited {
            type(key)
            if !waitForExit(timeout: 3) {
                how = "SIGTERM (q ignored for 3 s)"
                send(SIGTERM)
                if !waitForExit(timeout: 3) {
                    how = "SIGKILL (SIGTERM ignored for 3 s)"
                    send(SIGKILL)
                    _ = waitForExit(timeout: 5)
                }
            }
        } else {
            how = "had already exited"
        }
        // The reader ends on EIO once the slave is closed everywhere; give it a moment, then close.
        let deadline = Date().addingTimeInterval(2)
        while !lock.withLock({ readerFinished }) && Date() < deadline { usleep(5_000) }
        close(master)
        return QuitOutcome(program: name, how: how, status: exitDescription, exited: hasExited)
    }

    /// The last output, with escape sequences and control characters removed (for error messages).
    var printableTail: String {
        let bytes = lock.withLock { tail }
        var text = ""
        var inEscape = false
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; continue }
            if scalar == "\n" || scalar == "\r" { text.append(" "); continue }
            if scalar.value >= 0x20 && scalar.value != 0x7F { text.unicodeScalars.append(scalar) }
        }
        return text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    struct QuitOutcome: Codable, Sendable {
        var program: String
        var how: String
        var status: String
        var exited: Bool
    }
}

/// What /proc says about a process.
enum ProcStat {
    static let clockTicksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// utime + stime, in clock ticks, or nil when the process is gone.
    static func cpuTicks(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": field 3 (state) is index 0, so utime (14) is 11 and stime (15) is 12.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// A field of /proc/PID/status in kB (VmRSS, VmHWM), or nil.
    static func statusKilobytes(_ pid: pid_t, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2 { return Int(parts[1]) }
        }
        return nil
    }

    /// The 1, 5 and 15 minute load averages.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// How many processes the machine runs (htop's work grows with it).
    static func processCount() -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { !$0.isEmpty && $0.allSatisfy(\.isNumber) }.count
    }
}
