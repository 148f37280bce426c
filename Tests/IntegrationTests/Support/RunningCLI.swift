import Foundation

/// The real `shardtop` binary started and left running, for tests that act on it mid-way (send
/// it a signal once a line appears).
final class RunningCLI: Sendable {
    private let child: BackgroundChild

    init(_ arguments: [String]) throws {
        child = try BackgroundChild(program: CLI.binaryPath, arguments: arguments)
    }

    var output: String { child.output }
    var errorOutput: String { child.errorOutput }
    var pid: Int32 { child.pid }

    /// Waits until stdout contains `text` (true), or the process ends or `seconds` pass (false).
    func waitForOutput(_ text: String, seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if output.contains(text) { return true }
            if !child.isRunning { return output.contains(text) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Waits up to `seconds` for the exit: its status and how long it took, or nil when it is still
    /// running (it is then killed, so no test leaves a child behind).
    func waitForExit(seconds: Double) async throws -> (status: Int32, seconds: Double)? {
        let started = Date()
        guard let status = await child.waitForExit(seconds: seconds) else {
            child.kill9()
            return nil
        }
        return (status, Date().timeIntervalSince(started))
    }
}
