import ShardtopCore

/// Where a node's log comes from, and whether more is coming.
public enum LogSourceStatus: Sendable, Equatable, CustomStringConvertible {
    /// Lines so far were delivered; more will follow as the node writes them.
    case following
    /// Everything there was has been delivered and the source is not following.
    case complete
    /// The log command ended; the source can be started again.
    case exited(status: Int32)
    /// The log itself cannot be reached; the lines (if any) are a stand-in, `reason` says why.
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case .following: "following"
        case .complete: "complete"
        case .exited(let status): "log command exited with status \(status)"
        case .unavailable(let reason): "log unavailable: \(reason)"
        }
    }
}

/// One delivery: new lines (possibly none) and the source's status after them.
public struct LogBatch: Sendable, Equatable {
    public var lines: [LogLine]
    public var status: LogSourceStatus

    public init(lines: [LogLine], status: LogSourceStatus) {
        self.lines = lines
        self.status = status
    }
}

/// A node's log as a stream of batches. The first batch is the recent tail; later ones are new
/// lines. The stream finishes when the source cannot deliver more (a command exited, nothing to
/// follow); cancelling the task that iterates it, or dropping the stream, stops the source and
/// any process it started.
public protocol LogSource: Sendable {
    /// Where the lines come from, for a status line ("file /var/log/...", "command ssh ...").
    var label: String { get }
    /// Starts reading. Every call starts afresh: this is how a view restarts a source whose
    /// command exited.
    func batches() -> AsyncStream<LogBatch>
}

extension LogSource {
    /// The stream every source hands out: `produce` runs in a task of its own until it returns or
    /// the consumer goes away (which cancels it, and with it any process the source started).
    public func stream(_ produce: @escaping @Sendable (AsyncStream<LogBatch>.Continuation) async -> Void) -> AsyncStream<LogBatch> {
        AsyncStream { continuation in
            let task = Task {
                await produce(continuation)
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
