import Foundation
import ShardtopProcess
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `shardtop` binary, as an operator or a script would.
enum CLI {
    struct Result {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// The binary SwiftPM built next to the test bundle.
    static var binaryPath: String { builtBinary("shardtop") }

    /// The benchmarks' own executable, built beside shardtop.
    static var benchBinaryPath: String { builtBinary("shardtop-bench") }

    static func builtBinary(_ name: String) -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/\(name)").path
    }

    /// The same, waiting on a Dispatch thread: Swift's cooperative pool has one thread per core
    /// (2 here), and a test blocked on a child for seconds would starve every other running test.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeoutSeconds: Double = 30,
                    program: String = binaryPath) async throws -> Result {
        try await offPool { try run(blocking: arguments, environment: environment, timeoutSeconds: timeoutSeconds, program: program) }
    }

    /// Spawned with posix_spawn (ShardtopProcess), not Foundation's Process: Process.run() on Linux
    /// walks /proc/self/fd to close the parent's descriptors in the child, and crashed there
    /// (SIGSEGV in its memcpy) in a full run whose test process held over 1,300 descriptors while
    /// other tests opened and closed theirs. posix_spawn closes them with closefrom instead.
    static func run(blocking arguments: [String], environment: [String: String] = [:], timeoutSeconds: Double = 30,
                    program: String = binaryPath) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw CLIError("pipe failed: errno \(errno)") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw CLIError("pipe failed: errno \(errno)")
        }
        // Not inherited by children other threads start meanwhile (ours get them through dup2).
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let (pid, result) = ChildProcess.spawnClean(program, arguments: arguments, actions: &actions, searchPath: false, environment: env)
        posix_spawn_file_actions_destroy(&actions)
        close(outPipe[1])
        close(errPipe[1])
        guard result == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw CLIError("posix_spawn \(program) failed: \(String(cString: strerror(result)))")
        }
        // Read while it runs so a large output cannot fill the pipe and stall the child.
        let outData = LockedData()
        let errData = LockedData()
        let group = DispatchGroup()
        for (fd, sink) in [(outPipe[0], outData), (errPipe[0], errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(readToEnd(fd))
                close(fd)
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var status: Int32 = 0
        var reaped = false
        while !reaped {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid || (waited < 0 && errno != EINTR) { reaped = true; break }
            if Date() >= deadline {
                kill(pid, SIGTERM)
                _ = waitpid(pid, &status, 0)
                reaped = true
                break
            }
            usleep(10_000)
        }
        group.wait()
        // The same figure Process.terminationStatus gives: the exit code, or the signal number.
        let signal = status & 0x7F
        return Result(
            status: signal == 0 ? (status >> 8) & 0xFF : signal,
            output: String(decoding: outData.get(), as: UTF8.self),
            errorOutput: String(decoding: errData.get(), as: UTF8.self)
        )
    }

    private static func readToEnd(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { data.append(contentsOf: buffer[0..<count]) } else if count < 0 && errno == EINTR { continue } else { break }
        }
        return data
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

final class LockedData: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}

/// Runs blocking work (waiting for a child process) on a Dispatch thread instead of a thread of
/// the cooperative pool, which every async test shares.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
    }
}
