import NIOConcurrencyHelpers

/// Pause and cancel requests for a running operation, set from the UI or a signal handler and
/// read by the engine between slots. It is checked only at points where no slot is half-moved,
/// so a cancel always leaves the cluster with no open slot.
public final class OperationControl: Sendable {
    private struct State {
        var paused = false
        var cancelled = false
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public var isPaused: Bool { state.withLockedValue { $0.paused } }
    public var isCancelled: Bool { state.withLockedValue { $0.cancelled } }

    public func pause() { state.withLockedValue { $0.paused = true } }
    public func resume() { state.withLockedValue { $0.paused = false } }
    public func togglePause() { state.withLockedValue { $0.paused.toggle() } }
    public func cancel() { state.withLockedValue { $0.cancelled = true } }

    /// Waits while paused; throws when cancelled. Called only between units of work.
    func checkpoint() async throws {
        while isPaused && !isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
        if isCancelled || Task.isCancelled { throw ActionError.cancelled }
    }
}
