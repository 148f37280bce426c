import ShardtopApp
import Foundation

/// Spawns a program with stdout (and stderr) discarded and times it from spawn to exit.
enum TimedProcess {
    struct Outcome: Sendable {
        var elapsed: Duration
        var status: Int32
        /// True when the process exited normally (not killed by a signal).
        var exited: Bool
    }

    /// Runs `executable` and waits for it without blocking a cooperative thread: the exit time is
    /// taken in the termination handler, so it is not rounded up to a run loop polling interval.
    /// stderr goes to `stderrPath` (truncated first) when given, so a failure can be explained.
    static func run(_ executable: String, _ arguments: [String], stderrPath: String? = nil) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        var errorHandle: FileHandle?
        if let stderrPath {
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            errorHandle = FileHandle(forWritingAtPath: stderrPath)
        }
        process.standardError = errorHandle ?? FileHandle.nullDevice
        defer { try? errorHandle?.close() }

        let box = StartBox()
        let end: ContinuousClock.Instant = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { _ in continuation.resume(returning: ContinuousClock.now) }
            do {
                box.start = ContinuousClock.now
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Outcome(
            elapsed: end - box.start,
            status: process.terminationStatus,
            exited: process.terminationReason == .exit
        )
    }

    /// Runs a short command and returns its stdout (for version strings).
    static func capture(_ executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The last non-empty line of a file, for one-line error messages.
    static func lastLine(of path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init)
    }

    /// Finds a program on PATH.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// This very binary: /proc/self/exe on Linux, else argv[0] resolved against the working directory or PATH.
    static func selfExecutable() -> String? {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
           FileManager.default.isExecutableFile(atPath: resolved) {
            return resolved
        }
        let first = CommandLine.arguments[0]
        if first.contains("/") {
            let absolute = first.hasPrefix("/") ? first : FileManager.default.currentDirectoryPath + "/" + first
            let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
            return FileManager.default.isExecutableFile(atPath: standardized) ? standardized : nil
        }
        return onPath(first)
    }
}

/// The spawn instant, written before `run()` and read after the process has exited.
private final class StartBox: @unchecked Sendable {
    var start = ContinuousClock.now
}
