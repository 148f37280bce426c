import ArgumentParser
import Foundation

/// The programs every benchmark runs beside shardtop, found once, with the same one-line errors.
enum BenchTools {
    /// --redis-cli as given (a path, or a name looked up on PATH), else redis-cli, then valkey-cli.
    static func redisCli(_ explicit: String?) throws(ExitCode) -> String {
        guard let path = explicit.map({ $0.contains("/") ? $0 : TimedProcess.onPath($0) ?? $0 })
            ?? TimedProcess.onPath("redis-cli") ?? TimedProcess.onPath("valkey-cli"),
            FileManager.default.isExecutableFile(atPath: path) else {
            throw fail("no redis-cli found (install redis-tools or pass --redis-cli PATH)")
        }
        return path
    }

    /// This shardtop binary, which the benchmarks run as a child to time it as an operator would.
    static func shardtop() throws(ExitCode) -> String {
        guard let path = TimedProcess.selfExecutable() else {
            throw fail("cannot locate the shardtop binary itself (/proc/self/exe, argv[0])")
        }
        return path
    }
}
