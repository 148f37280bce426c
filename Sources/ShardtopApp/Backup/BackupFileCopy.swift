import Crypto
import Dispatch
import Foundation
import ShardtopCore
import ShardtopLogs
import ShardtopProcess
import ShardtopRedis
#if canImport(Glibc)
import Glibc
#endif

/// Copying a saved RDB file into the backup directory and hashing it in the same pass, off the
/// cooperative thread pool (a large file must not stall the connections' tasks).
public enum BackupFileCopy {
    public struct Copied: Sendable {
        var size: Int64
        var sha256: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Copies `source` to `destination` (replacing it), returning the size and sha256 of what was written.
    public static func copy(_ source: String, to destination: String) async throws -> Copied {
        try await offPool { try copyBlocking(source, to: destination) }
    }

    /// Size and sha256 of a file already in place (fetched by --copy-command).
    public static func digest(_ path: String) async throws -> Copied {
        try await offPool { try copyBlocking(path, to: nil) }
    }

    private static func copyBlocking(_ source: String, to destination: String?) throws -> Copied {
        guard let input = FileHandle(forReadingAtPath: source) else { throw Failure(description: "cannot read \(source)") }
        defer { try? input.close() }
        var output: FileHandle?
        if let destination {
            try? FileManager.default.removeItem(atPath: destination)
            guard FileManager.default.createFile(atPath: destination, contents: nil),
                  let handle = FileHandle(forWritingAtPath: destination) else { throw Failure(description: "cannot write \(destination)") }
            output = handle
        }
        defer { try? output?.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let chunk = try input.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            try output?.write(contentsOf: chunk)
            size += Int64(chunk.count)
        }
        try output?.synchronize()
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Copied(size: size, sha256: hex)
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// Runs an expanded --copy-command as an argument list (no shell), output to a log file, and
/// waits for it within a bound. Spawned clean, like the log commands (ChildProcess.spawnClean).
public enum BackupCopyCommand {
    /// nil on success, else one line saying why.
    public static func run(_ arguments: [String], logPath: String, timeout: Duration) async -> String? {
        guard let program = arguments.first else { return "--copy-command is empty" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let (pid, result) = ChildProcess.spawnClean(program, arguments: Array(arguments.dropFirst()), actions: &actions, searchPath: true)
        posix_spawn_file_actions_destroy(&actions)
        guard result == 0 else { return "cannot run \(program): \(String(cString: strerror(result)))" }
        let deadline = ContinuousClock.now + timeout
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let signal = status & 0x7f
                if signal != 0 { return "\(program) was killed by signal \(signal) (output in \(logPath))" }
                let code = (status >> 8) & 0xff
                return code == 0 ? nil : "\(program) exited \(code) (output in \(logPath))"
            }
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return "\(program) did not finish within \(timeout) and was stopped"
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
