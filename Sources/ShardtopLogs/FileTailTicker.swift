import Foundation

/// One timer for every followed log file with the same poll interval. The dashboard follows one
/// file per node; each with its own sleeping task, 30 nodes at 200 ms cost 150 wake-ups a second
/// while nothing was written (issue 12). Here one task wakes per interval and polls them all.
final class FileTailTicker: @unchecked Sendable {
    /// A followed file and where its new lines go. Its follower is touched only by the ticker's task.
    private struct Entry: @unchecked Sendable {
        let follower: FileFollower
        let deliver: @Sendable ([[UInt8]]) -> Void
        let done: CheckedContinuation<Void, Never>
    }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var tickers: [Duration: FileTailTicker] = [:]

    /// The ticker for this interval, shared by every source that polls at it.
    static func shared(interval: Duration) -> FileTailTicker {
        registryLock.withLock {
            if let ticker = tickers[interval] { return ticker }
            let ticker = FileTailTicker(interval: interval)
            tickers[interval] = ticker
            return ticker
        }
    }

    let interval: Duration
    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]
    private var nextId = 0
    private var task: Task<Void, Never>?

    init(interval: Duration) { self.interval = interval }

    /// Files followed now, and whether the timer runs (it stops when none is left).
    var followed: Int { lock.withLock { entries.count } }
    var isTicking: Bool { lock.withLock { task != nil } }

    /// Polls `follower` every interval and hands non-empty batches of lines to `deliver`, until the
    /// calling task is cancelled.
    func follow(_ follower: FileFollower, deliver: @escaping @Sendable ([[UInt8]]) -> Void) async {
        let id = lock.withLock { () -> Int in defer { nextId += 1 }; return nextId }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                // Under the lock with `remove`: a cancellation either finds the entry or is seen here.
                let cancelled = lock.withLock { () -> Bool in
                    if Task.isCancelled { return true }
                    entries[id] = Entry(follower: follower, deliver: deliver, done: done)
                    if task == nil { task = Task { await self.run() } }
                    return false
                }
                if cancelled { done.resume() }
            }
        } onCancel: {
            remove(id)
        }
    }

    private func remove(_ id: Int) {
        let entry = lock.withLock { entries.removeValue(forKey: id) }
        entry?.done.resume()
    }

    private func run() async {
        while true {
            try? await Task.sleep(for: interval)
            let current = lock.withLock { () -> [Entry]? in
                if entries.isEmpty {
                    task = nil
                    return nil
                }
                return Array(entries.values)
            }
            guard let current else { return }
            for entry in current {
                let lines = entry.follower.poll()
                if !lines.isEmpty { entry.deliver(lines) }
            }
        }
    }
}
