import Foundation
import ShardtopCore
import ShardtopRecording
import ShardtopUI

/// Plays a recording into the store: the same actions a live session dispatches (clock, then
/// snapshot and events), at 1x to 60x, with pause and seek. Seeking rebuilds the state from the
/// first tick, so every screen shows exactly what it showed live at that moment.
public final class ReplayDriver: @unchecked Sendable {
    private let ticks: [RecordedTick]
    private let lock = NSLock()
    private var next = 0
    private var position: Double
    private var speedIndex = 0
    private var paused = false
    private weak var store: DashboardStore?

    public init(recording: Recording) {
        ticks = recording.ticks
        position = recording.ticks[0].time
    }

    public func attach(_ store: DashboardStore) { self.store = store }

    public func run() async {
        feedDue()
        var lastShown = -1
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            let second: Int = lock.withLock {
                if !paused {
                    position = min(ticks[ticks.count - 1].time, position + 0.05 * Double(ReplayStatus.speeds[speedIndex]))
                }
                return Int(position)
            }
            feedDue()
            if second != lastShown {
                lastShown = second
                publish()
            }
        }
    }

    /// Dispatches every tick whose time has come.
    private func feedDue() {
        while true {
            let tick: RecordedTick? = lock.withLock {
                guard next < ticks.count, ticks[next].time <= position else { return nil }
                defer { next += 1 }
                return ticks[next]
            }
            guard let tick else { break }
            store?.dispatch(.clock(tick.time))
            store?.dispatch(.snapshotArrived(tick.snapshot, tick.events))
            if lock.withLock({ next == ticks.count }) {
                lock.withLock { paused = true }
                store?.dispatch(.status("end of the recording: [ or { seeks back"))
                publish()
            }
        }
    }

    public func setPaused(_ value: Bool) {
        lock.withLock { paused = value }
        publish()
    }

    public func handle(_ request: ReplayRequest) {
        switch request {
        case .faster, .slower:
            lock.withLock {
                speedIndex = max(0, min(ReplayStatus.speeds.count - 1, speedIndex + (request == .faster ? 1 : -1)))
            }
        case .seek(let seconds):
            // Everything up to the new position is shown at once (at least the first tick).
            let shown: [RecordedTick] = lock.withLock {
                position = max(ticks[0].time, min(ticks[ticks.count - 1].time, position + seconds))
                next = max(1, ticks.firstIndex { $0.time > position } ?? ticks.count)
                return Array(ticks[..<next])
            }
            store?.dispatch(.replayRebuild(shown))
        }
        publish()
    }

    private func publish() {
        let status = lock.withLock {
            ReplayStatus(start: ticks[0].time, end: ticks[ticks.count - 1].time, position: position,
                         speed: ReplayStatus.speeds[speedIndex], paused: paused)
        }
        store?.dispatch(.replayStatus(status))
    }
}
