import Foundation

/// The real `shardtop` binary started and left running, for tests that act on it mid-way (send
/// it a signal once a line appears). Output is collected as it arrives; waiting happens on a
/// Dispatch thread (see `offPool`), never on the cooperative pool.
final class RunningCLI: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: CLI.binaryPath)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        outPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.lock.withLock { self?.out.append(chunk) }
        }
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.lock.withLock { self?.err.append(chunk) }
        }
        try process.run()
    }

    var output: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var errorOutput: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
    var pid: Int32 { process.processIdentifier }

    /// Waits until stdout contains `text` (true), or the process ends or `seconds` pass (false).
    func waitForOutput(_ text: String, seconds: Double) async throws -> Bool {
        try await offPool { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if output.contains(text) { return true }
                if !process.isRunning { return output.contains(text) }
                usleep(20_000)
            }
            return false
        }
    }

    /// Waits up to `seconds` for the exit: its status and how long it took, or nil when it is still
    /// running (it is then killed, so no test leaves a child behind).
    func waitForExit(seconds: Double) async throws -> (status: Int32, seconds: Double)? {
        try await offPool { [self] in
            let started = Date()
            while process.isRunning && Date().timeIntervalSince(started) < seconds { usleep(10_000) }
            let elapsed = Date().timeIntervalSince(started)
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                return nil
            }
            usleep(100_000)  // the last output chunks
            return (process.terminationStatus, elapsed)
        }
    }
}
