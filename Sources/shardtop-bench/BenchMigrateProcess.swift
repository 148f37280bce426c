import ShardtopApp
import Foundation

/// Spawns one tool run of `bench migrate` (shardtop migrate, redis-cli reshard or check) and times
/// it from spawn to exit, like TimedProcess, but keeps stdout in a file: shardtop's own "moved ...
/// in X s" line and redis-cli's check report are read from it afterwards. A cancelled bench
/// terminates the child it started (by its pid) instead of leaving it running against a lab that
/// is being stopped.
enum BenchMigrateProcess {
    struct Outcome: Sendable {
        var elapsed: Duration
        var status: Int32
        var exited: Bool
        var stdoutPath: String

        var succeeded: Bool { exited && status == 0 }
        var output: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

        /// "exited 1" or "was killed by signal 9".
        var ending: String { exited ? "exited \(status)" : "was killed by signal \(status)" }
    }

    static func run(_ executable: String, _ arguments: [String], stdoutPath: String, stderrPath: String) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let output = FileHandle(forWritingAtPath: stdoutPath)
        let errors = FileHandle(forWritingAtPath: stderrPath)
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = errors ?? FileHandle.nullDevice
        defer {
            try? output?.close()
            try? errors?.close()
        }

        let box = SpawnBox()
        let end: ContinuousClock.Instant = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { _ in continuation.resume(returning: ContinuousClock.now) }
                do {
                    box.start = ContinuousClock.now
                    try process.run()
                    box.started(process)
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            box.terminate()
        }
        try Task.checkCancellation()
        return Outcome(elapsed: end - box.start, status: process.terminationStatus,
                       exited: process.terminationReason == .exit, stdoutPath: stdoutPath)
    }

    /// The last non-empty line of stderr, else of stdout, for a one-line failure message.
    static func lastLine(_ outcome: Outcome, stderrPath: String) -> String {
        TimedProcess.lastLine(of: stderrPath) ?? TimedProcess.lastLine(of: outcome.stdoutPath) ?? "(no output)"
    }
}

/// The spawn instant and the running child, shared with the cancellation handler.
private final class SpawnBox: @unchecked Sendable {
    var start = ContinuousClock.now
    private let lock = NSLock()
    private var process: Process?
    private var cancelled = false

    func started(_ process: Process) {
        let terminateNow: Bool = lock.withLock {
            self.process = process
            return cancelled
        }
        if terminateNow { process.terminate() }
    }

    func terminate() {
        let running: Process? = lock.withLock {
            cancelled = true
            return process
        }
        if let running, running.isRunning { running.terminate() }
    }
}
