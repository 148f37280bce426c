import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide settings for a dashboard (or `watch`) run, made before anything uses the network (issue 12:
/// the dashboard should cost less than htop, in CPU and in memory).
///
/// - One NIO event loop instead of one per core. Polling 30 (or 500) nodes once a second is
///   nowhere near a loop's capacity, and each extra loop is a thread that wakes on its own timers,
///   with its own stack and malloc arena.
/// - Two glibc malloc arenas at most, rather than up to eight per core: the dashboard's threads
///   allocate little, and each arena keeps its freed memory.
public enum DashboardProcess {
    nonisolated(unsafe) private static var prepared = false
    private static let lock = NSLock()

    /// Once per process, before the first connection: NIO stops the process (fatalError) when its
    /// loop count is set after its singleton was used, so this is called only where nothing has
    /// connected yet (DashboardLauncher without a lab, LabLauncher before forming its lab).
    public static func prepare() {
        let first = lock.withLock { () -> Bool in
            defer { prepared = true }
            return !prepared
        }
        guard first else { return }
        // An operator's NIO_SINGLETON_GROUP_LOOP_COUNT still wins.
        if ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil {
            NIOSingletons.groupLoopCountSuggestion = 1
        }
        #if canImport(Glibc)
        if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil {
            GlibcMalloc.setOption(GlibcMalloc.arenaMax, 2)
        }
        #endif
    }
}
