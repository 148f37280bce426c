import ArgumentParser
import Dispatch
import Foundation
import ShardtopLab
import ShardtopRedis

/// Turns SIGINT/SIGTERM/SIGHUP into cancelling work or waking a waiter, so a lab this process
/// started is always stopped in order. Shared by `lab` and the benchmarks.
public final class Interrupt: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signalled = false
    private var cancellers: [@Sendable () -> Void] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func install() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            sources.append(makeSignalSource(signalNumber) { [weak self] in self?.fire() })
        }
    }

    /// Hands the signals over to someone else (the dashboard installs its own watcher).
    public func uninstall() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }

    /// Whether a signal has arrived (Ctrl-C also reaches the lab's servers, so later failures are its echo).
    public var wasSignalled: Bool { lock.withLock { signalled } }

    /// Waits for `task`, cancelling it if a signal arrives first (or arrived already).
    public func run<Value: Sendable>(_ task: Task<Value, any Error>) async throws -> Value {
        let already: Bool = lock.withLock {
            if signalled { return true }
            cancellers.append { task.cancel() }
            return false
        }
        if already { task.cancel() }
        return try await task.value
    }

    /// The task's value, or nil as soon as a signal arrives (or has arrived). The task is cancelled
    /// and not waited for: a request stuck on a hung node must not hold the operator's terminal.
    public func unlessSignalled<Value: Sendable>(_ task: Task<Value, Never>) async -> Value? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
            let answer = ResumeOnce(continuation)
            let already: Bool = lock.withLock {
                if signalled { return true }
                cancellers.append { task.cancel(); answer.resume(nil) }
                return false
            }
            if already {
                task.cancel()
                answer.resume(nil)
                return
            }
            Task { answer.resume(await task.value) }
        }
    }

    public func waitForSignal() async {
        await withCheckedContinuation { continuation in
            let already: Bool = lock.withLock {
                if signalled { return true }
                waiters.append(continuation)
                return false
            }
            if already { continuation.resume() }
        }
    }

    private func fire() {
        let (toCancel, toWake): ([@Sendable () -> Void], [CheckedContinuation<Void, Never>]) = lock.withLock {
            signalled = true
            defer {
                cancellers.removeAll()
                waiters.removeAll()
            }
            return (cancellers, waiters)
        }
        for cancel in toCancel { cancel() }
        for waiter in toWake { waiter.resume() }
    }

    /// Starts a lab, or stops whatever it had launched when a signal arrives meanwhile
    /// (`LabCluster.start` cleans up before rethrowing the cancellation).
    public func startLab(_ options: LabCluster.Options) async throws(ExitCode) -> LabCluster {
        let starting = Task { try await LabCluster.start(options) { line in printError(line) } }
        do {
            return try await run(starting)
        } catch is CancellationError {
            printError("interrupted; stopped the nodes started so far")
            throw ExitCode(130)
        } catch {
            throw fail("\(error)")
        }
    }
}

/// A continuation two racers may try to resume: the first one wins, the other is ignored.
private final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Never>?

    public init(_ continuation: CheckedContinuation<Value, Never>) { self.continuation = continuation }

    public func resume(_ value: Value) {
        let waiting: CheckedContinuation<Value, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: value)
    }
}
