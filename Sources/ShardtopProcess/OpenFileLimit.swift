#if canImport(Glibc)
import Glibc
#endif

/// The open-file limit (RLIMIT_NOFILE, `ulimit -n`) of this process, which its children inherit.
///
/// A lab of N nodes holds about 3 descriptors per node in the process that starts it (two ports
/// held while they are picked, then one connection per node), and each redis-server holds two
/// cluster-bus links per peer (one it dialled, one it accepted) besides its clients. Many shells
/// start with a soft limit of 1024 and a much higher hard limit; raising the soft limit up to the
/// hard one needs no privilege, so a big lab does that before it starts rather than fail halfway.
public enum OpenFileLimit {
    public struct Limits: Sendable, Equatable, CustomStringConvertible {
        public let soft: Int
        public let hard: Int
        public var description: String { "soft \(Self.text(soft)), hard \(Self.text(hard))" }
        static func text(_ value: Int) -> String { value == Int.max ? "unlimited" : "\(value)" }
    }

    public static func current() -> Limits {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Limits(soft: 1024, hard: 1024) }
        return Limits(soft: count(limit.rlim_cur), hard: count(limit.rlim_max))
    }

    /// Raises the soft limit to at least `needed` (never above the hard limit, never lowers it).
    /// Returns the limits in force afterwards; the caller compares them with what it needs.
    @discardableResult
    public static func raise(toAtLeast needed: Int) -> Limits {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return current() }
        let soft = count(limit.rlim_cur)
        let hard = count(limit.rlim_max)
        guard soft < needed else { return current() }
        limit.rlim_cur = rlim_t(min(needed, hard))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return current()
    }

    private static func count(_ value: rlim_t) -> Int {
        // RLIM_INFINITY is all ones, above Int.max.
        value > rlim_t(Int.max) ? Int.max : Int(value)
    }
}
