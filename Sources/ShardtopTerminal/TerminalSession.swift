import CNcurses
import Foundation
import ShardtopUI
#if canImport(Glibc)
import Glibc
#endif

/// The only owner of ncurses. One dedicated thread makes every curses call: it reads keys and draws
/// the newest frame handed to `present` (or asked of the frame source), writing only the cells that
/// changed since the last frame. Older frames that were never drawn are dropped. Between turns the
/// thread sleeps in poll() on the terminal and a wake pipe (`wake()`), so an idle dashboard costs
/// no wake-ups beyond its own changes (issue 12: it used to wake 10 times a second to look).
public final class TerminalSession: @unchecked Sendable {
    private let lock = NSLock()
    private var pendingFrame: Grid?
    private var pendingTheme: Theme?
    private var running = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    private let started = DispatchSemaphore(value: 0)
    private var startError: String?
    private var size = (width: 80, height: 24)
    private var utf8 = true
    private var stderrCapture: StderrCapture?
    private let wakeup = WakePipe()

    private var theme: Theme
    private var depth: ColorDepth = .ansi16
    private let environment: [String: String]

    public init(theme: Theme, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.theme = theme
        self.environment = environment
    }

    /// Terminal size in cells, as of the last resize.
    public var currentSize: (width: Int, height: Int) { lock.withLock { size } }
    /// False when the locale is not UTF-8: the UI must use ASCII glyphs.
    public var isUTF8: Bool { lock.withLock { utf8 } }
    public var colorDepth: ColorDepth { lock.withLock { depth } }

    /// Takes over the terminal on a new thread. Keys and resizes are delivered on that thread,
    /// so handlers must be quick (reduce state, hand a frame back) and never wait on I/O.
    ///
    /// `frames`, when given, is asked for a frame once per turn of the loop (right after a key, after
    /// each `wake()`, and at least once a second): it returns nil when nothing changed. So however many changes arrive
    /// between two turns (a poll, a thousand log batches), they cost one render, on this thread.
    /// `answered`, when given, hears how long each key took from being read to its frame being on
    /// the screen (`SHARDTOP_KEY_TIMES`, for the tests and benches that hold that under 100 ms).
    public func start(
        onKey: @escaping @Sendable (Key) -> Void, onResize: @escaping @Sendable (Int, Int) -> Void,
        frames: (@Sendable () -> Grid?)? = nil, answered: (@Sendable (Key, Duration) -> Void)? = nil
    ) throws {
        stderrCapture = StderrCapture.begin()
        CrashRestore.install()
        let thread = Thread { [self] in
            self.runLoop(onKey: onKey, onResize: onResize, frames: frames, answered: answered)
        }
        thread.name = "shardtop-terminal"
        thread.stackSize = 1 << 20
        lock.withLock { running = true }
        self.thread = thread
        thread.start()
        started.wait()
        if let startError {
            stderrCapture?.end()
            throw TerminalError(message: startError)
        }
    }

    /// Hands over a frame; the terminal thread draws the newest one it has.
    public func present(_ grid: Grid) {
        lock.withLock { pendingFrame = grid }
        wakeup.signal()
    }

    public func setTheme(_ theme: Theme) {
        lock.withLock { pendingTheme = theme }
        wakeup.signal()
    }

    /// Something changed: the terminal thread asks `frames` again now rather than at its next
    /// turn. Cheap and callable from any thread; many calls before the thread runs cost one turn.
    public func wake() { wakeup.signal() }

    /// Restores the terminal and prints whatever was written to stderr while the screen was active.
    public func stop() {
        let wasRunning: Bool = lock.withLock {
            defer { running = false }
            return running
        }
        if wasRunning {
            wakeup.signal()
            finished.wait()
        }
        stderrCapture?.end()
        stderrCapture = nil
    }

    // MARK: - The terminal thread

    private func runLoop(
        onKey: @Sendable (Key) -> Void, onResize: @Sendable (Int, Int) -> Void,
        frames: (@Sendable () -> Grid?)?, answered: (@Sendable (Key, Duration) -> Void)?
    ) {
        setlocale(LC_ALL, "")
        let codeset = String(cString: shim_codeset())
        guard let screen = shim_newterm() else {
            startError = "cannot initialise the terminal (TERM=\(environment["TERM"] ?? "unset") unknown to terminfo?)"
            lock.withLock { running = false }
            started.signal()
            finished.signal()
            return
        }
        _ = set_term(screen)
        CrashRestore.active = true
        cbreak()
        noecho()
        nonl()
        keypad(shim_stdscr(), true)
        curs_set(0)
        // Keys are read without waiting: the thread waits in poll() instead (see waitForInput), on
        // the terminal and the wake pipe together, so a frame is drawn as soon as it is ready.
        wtimeout(shim_stdscr(), 0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        let detected = ColorDepth.detect(colorsSupported: has_colors() ? Int(shim_colors()) : 0, environment: environment)
        // Curses cannot draw 24-bit colour portably; 256 colours is the most it is asked for.
        let depth: ColorDepth = detected == .truecolor ? .palette256 : detected
        var colors = ColorTable(theme: theme, depth: depth)
        lock.withLock {
            self.depth = depth
            self.utf8 = codeset == "UTF-8"
            self.size = (Int(shim_cols()), Int(shim_lines()))
        }
        started.signal()

        var shown: Grid?
        var status: wint_t = 0
        while lock.withLock({ running }) {
            let result = shim_get_key(&status)
            var keyRead: (key: Key, at: ContinuousClock.Instant)?
            if result != shim_err(), let key = KeyDecoder.decode(status: result, value: UInt32(status)) {
                keyRead = (key, ContinuousClock.now)
                if key == .resize {
                    let newSize = (Int(shim_cols()), Int(shim_lines()))
                    lock.withLock { size = newSize }
                    shown = nil
                    erase()
                    onResize(newSize.0, newSize.1)
                } else {
                    onKey(key)
                }
            }
            let (presented, newTheme): (Grid?, Theme?) = lock.withLock {
                defer { pendingFrame = nil; pendingTheme = nil }
                return (pendingFrame, pendingTheme)
            }
            let frame = frames?() ?? presented
            if let newTheme {
                theme = newTheme
                colors = ColorTable(theme: newTheme, depth: depth)
                shown = nil
            }
            if let frame {
                draw(frame, over: shown, colors: colors)
                shown = frame
            } else if newTheme != nil, let last = shownOrNil(shown) {
                draw(last, over: nil, colors: colors)
            }
            if let keyRead, let answered { answered(keyRead.key, ContinuousClock.now - keyRead.at) }
            // No key this turn: sleep until a key, a wake, or the safety timeout. A key read goes
            // straight round again, so a burst of keys (or an escape sequence) is read without a wait.
            if keyRead == nil && result == shim_err() { wakeup.wait(alsoReadable: STDIN_FILENO, timeoutMillis: Self.idleTimeoutMillis, coalesceMillis: Self.coalesceMillis) }
        }
        endwin()
        delscreen(screen)
        CrashRestore.active = false
        finished.signal()
    }

    private func shownOrNil(_ grid: Grid?) -> Grid? { grid }

    /// The longest the thread sleeps with nothing to do. It bounds how late a terminal resize is
    /// seen when SIGWINCH lands on another thread (then poll() is not interrupted): ncurses' handler
    /// only sets a flag that the next read reports.
    static let idleTimeoutMillis: Int32 = 1000
    /// How long changes are gathered into one frame after the first wakes the thread.
    static let coalesceMillis: Int32 = 100

    /// Writes only cells that differ from the previous frame; a size change redraws everything.
    private func draw(_ grid: Grid, over previous: Grid?, colors: ColorTable) {
        let width = min(grid.width, Int(shim_cols()))
        let height = min(grid.height, Int(shim_lines()))
        let full = previous == nil || previous?.width != grid.width || previous?.height != grid.height
        if full { erase() }
        for y in 0..<height {
            for x in 0..<width {
                let cell = grid[x, y]
                if !full, let previous, previous[x, y] == cell { continue }
                _ = shim_put_cell(Int32(y), Int32(x), wchar_t(cell.scalar.value), colors.attributes(for: cell.role), colors.pair(for: cell.role))
            }
        }
        refresh()
    }
}

public struct TerminalError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
