import Testing

/// Real-server suites run one after another, not side by side: each starts its own cluster (up to
/// 30 servers) and several at once on 2 cores starve each other into false timeouts. Every suite
/// is `.serialized` inside; this trait also keeps suites from overlapping. Unit-test targets still
/// run in parallel with them.
struct OneClusterAtATime: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await RealServerGate.shared.enter()
        do {
            try await function()
        } catch {
            await RealServerGate.shared.leave()
            throw error
        }
        await RealServerGate.shared.leave()
    }
}

extension Trait where Self == OneClusterAtATime {
    static var oneClusterAtATime: Self { OneClusterAtATime() }
}

/// A FIFO gate for one suite at a time.
actor RealServerGate {
    static let shared = RealServerGate()
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
