import Foundation
import ShardtopCore
import ShardtopUI

/// Holds the app state; every change goes through the pure reducer. Called from the terminal thread
/// (keys) and from the poll, log and action tasks, so it serialises with a lock; each call under it
/// is short (reduce, never render, never I/O).
///
/// Frames are pulled, not pushed: a change only marks the state dirty, and the terminal thread asks
/// `nextFrame()` once per turn of its loop (right after a key, or when `onChange` wakes it) and
/// renders then, outside the lock. A thousand log batches or a replay at 60x between two turns cost one render,
/// and a key never waits behind renders of frames nobody will see.
public final class DashboardStore: @unchecked Sendable {
    private let lock = NSLock()
    private var state: AppState
    private var glyphs: Glyphs
    /// The state changed since the last frame handed out.
    private var dirty = true
    private let perform: @Sendable ([Effect]) -> Void
    /// Told when the state turns dirty (the terminal's `wake`), once per frame handed out.
    private var onChange: (@Sendable () -> Void)?

    public init(state: AppState, glyphs: Glyphs, perform: @escaping @Sendable ([Effect]) -> Void) {
        self.state = state
        self.glyphs = glyphs
        self.perform = perform
    }

    public var snapshotOfState: AppState { lock.withLock { state } }

    /// Whom to wake when a change needs a frame (set once the terminal runs).
    public func setOnChange(_ onChange: @escaping @Sendable () -> Void) {
        lock.withLock { self.onChange = onChange }
        onChange()
    }

    /// Marks the state dirty under the lock; returns whom to wake if it was clean.
    private func markDirty() -> (@Sendable () -> Void)? {
        defer { dirty = true }
        return dirty ? nil : onChange
    }

    public func dispatch(_ action: Action) {
        var wake: (@Sendable () -> Void)?
        let effects = lock.withLock { () -> [Effect] in
            wake = markDirty()
            return Reducer.reduce(&state, action)
        }
        wake?()
        if !effects.isEmpty { perform(effects) }
    }

    /// A new snapshot. Its findings and views are worked out first, on the caller's task and
    /// outside the lock (PreparedSnapshot), so a key arriving meanwhile does not wait for them.
    public func snapshotArrived(_ snapshot: ClusterSnapshot, _ events: [ClusterEvent]) {
        let prepared = PreparedSnapshot(snapshot, for: snapshotOfState)
        var wake: (@Sendable () -> Void)?
        let effects = lock.withLock { () -> [Effect] in
            wake = markDirty()
            return Reducer.arrive(&state, prepared, events: events)
        }
        wake?()
        if !effects.isEmpty { perform(effects) }
    }

    public func handle(_ key: Key) {
        let effects = lock.withLock { () -> [Effect] in
            dirty = true
            // A key can start a failover; its deadline counts from now, not from the last clock tick.
            if state.replay == nil { state.now = Date().timeIntervalSince1970 }
            return Reducer.handle(key: key, state: &state)
        }
        if !effects.isEmpty { perform(effects) }
    }

    /// The frame for the current state, or nil when nothing changed since the last one. The state
    /// is copied under the lock (a reference count, its storage is shared) and rendered outside it.
    public func nextFrame() -> Grid? {
        let taken = lock.withLock { () -> (AppState, Glyphs)? in
            guard dirty else { return nil }
            dirty = false
            return (state, glyphs)
        }
        guard let taken else { return nil }
        return DashboardRenderer.render(taken.0, glyphs: taken.1)
    }

    /// The terminal's real codeset (nl_langinfo) is known once curses has started.
    public func setGlyphs(_ glyphs: Glyphs) {
        let wake = lock.withLock { () -> (@Sendable () -> Void)? in
            self.glyphs = glyphs
            return markDirty()
        }
        wake?()
    }

    public func setThemeName(_ name: String) {
        dispatch(.status("theme: \(name)"))
        let wake = lock.withLock { () -> (@Sendable () -> Void)? in
            state.themeName = name
            return markDirty()
        }
        wake?()
    }
}
