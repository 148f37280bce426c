import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM/SIGHUP into cancelling the benchmark, so the lab it started is always stopped.
final class BenchInterrupt: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signalled = false
    private var cancellers: [@Sendable () -> Void] = []

    func install() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            sources.append(makeSignalSource(signalNumber) { [weak self] in self?.fire() })
        }
    }

    /// Whether a signal has arrived (Ctrl-C also reaches the lab's servers, so later failures are its echo).
    var wasSignalled: Bool { lock.withLock { signalled } }

    /// Waits for `task`, cancelling it if a signal arrives first (or arrived already).
    func run<Value: Sendable>(_ task: Task<Value, any Error>) async throws -> Value {
        let already: Bool = lock.withLock {
            if signalled { return true }
            cancellers.append { task.cancel() }
            return false
        }
        if already { task.cancel() }
        return try await task.value
    }

    private func fire() {
        let toCall: [@Sendable () -> Void] = lock.withLock {
            signalled = true
            defer { cancellers.removeAll() }
            return cancellers
        }
        for cancel in toCall { cancel() }
    }
}
