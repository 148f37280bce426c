// A plain `swift build -c release` builds every non-test target, this one included, and the
// Testing module is only on the search path when tests are built: without the guard the README's
// release build stopped here with "no such module 'Testing'".
#if canImport(Testing)
import Testing

/// Suites that must not run beside others of their kind, on this 2-core machine:
/// - `.realServers`: each starts its own cluster (up to 30 servers); several at once starved each
///   other into false timeouts;
/// - `.cpuBound`: property and scale tests that keep a thread busy for seconds; two at once hold
///   both of Swift's cooperative threads, and every async test in the process (log streams, pollers)
///   then waits tens of seconds for a thread.
/// Each suite is also `.serialized` inside. Suites of different kinds, and unmarked ones, still run
/// side by side.
public struct OneAtATime: SuiteTrait, TestScoping {

    let gate: SuiteGate

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await gate.enter()
        do {
            try await function()
        } catch {
            await gate.leave()
            throw error
        }
        await gate.leave()
    }
}

extension Trait where Self == OneAtATime {
    public static var oneClusterAtATime: Self { OneAtATime(gate: SuiteGate.realServers) }
    public static var oneCPUBoundAtATime: Self { OneAtATime(gate: SuiteGate.cpuBound) }
}

/// A FIFO gate: one suite of a kind at a time.
public actor SuiteGate {
    static let realServers = SuiteGate()
    static let cpuBound = SuiteGate()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
#endif
