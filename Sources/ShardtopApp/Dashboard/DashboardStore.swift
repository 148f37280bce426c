import Foundation
import ShardtopCore
import ShardtopUI

/// Holds the app state; every change goes through the pure reducer, then the new frame is rendered
/// and handed to the terminal. Called from the terminal thread (keys) and the poll task (snapshots),
/// so it serialises with a lock; each call is short (reduce + render), never I/O.
public final class DashboardStore: @unchecked Sendable {
    private let lock = NSLock()
    private var state: AppState
    private var glyphs: Glyphs
    private let present: @Sendable (Grid) -> Void
    private let perform: @Sendable ([Effect]) -> Void

    public init(state: AppState, glyphs: Glyphs, present: @escaping @Sendable (Grid) -> Void, perform: @escaping @Sendable ([Effect]) -> Void) {
        self.state = state
        self.glyphs = glyphs
        self.present = present
        self.perform = perform
    }

    public var snapshotOfState: AppState { lock.withLock { state } }

    public func dispatch(_ action: Action) {
        let (effects, frame) = lock.withLock { () -> ([Effect], Grid) in
            let effects = Reducer.reduce(&state, action)
            return (effects, DashboardRenderer.render(state, glyphs: glyphs))
        }
        present(frame)
        if !effects.isEmpty { perform(effects) }
    }

    public func handle(_ key: Key) {
        let (effects, frame) = lock.withLock { () -> ([Effect], Grid) in
            // A key can start a failover; its deadline counts from now, not from the last clock tick.
            if state.replay == nil { state.now = Date().timeIntervalSince1970 }
            let effects = Reducer.handle(key: key, state: &state)
            return (effects, DashboardRenderer.render(state, glyphs: glyphs))
        }
        present(frame)
        if !effects.isEmpty { perform(effects) }
    }

    /// The terminal's real codeset (nl_langinfo) is known once curses has started.
    public func setGlyphs(_ glyphs: Glyphs) {
        lock.withLock { self.glyphs = glyphs }
    }

    public func setThemeName(_ name: String) {
        dispatch(.status("theme: \(name)"))
        lock.withLock { state.themeName = name }
    }
}
