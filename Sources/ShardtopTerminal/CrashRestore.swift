import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// On a crash signal, put the terminal back before dying, so the operator's shell is usable.
/// endwin() is not formally async-signal-safe; htop does the same, and the alternative (a
/// terminal left in raw mode with no echo) is worse for the person at the keyboard.
enum CrashRestore {
    nonisolated(unsafe) static var active = false
    nonisolated(unsafe) private static var installed = false

    static func install() {
        guard !installed else { return }
        installed = true
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(signalNumber, crashHandler)
        }
    }
}

private func crashHandler(_ signalNumber: Int32) {
    if CrashRestore.active {
        endwin()
    }
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}
