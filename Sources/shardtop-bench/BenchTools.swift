import ShardtopApp
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

    /// The shardtop binary built beside this one (same build directory), which the benchmarks
    /// run as a child to time it as an operator would. SHARDTOP_BINARY overrides it.
    static func shardtop() throws(ExitCode) -> String {
        if let explicit = ProcessInfo.processInfo.environment["SHARDTOP_BINARY"], !explicit.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: explicit) else { throw fail("SHARDTOP_BINARY \(explicit) is not an executable file") }
            return explicit
        }
        guard let me = TimedProcess.selfExecutable() else {
            throw fail("cannot locate shardtop-bench itself (/proc/self/exe, argv[0]), so not the shardtop beside it either")
        }
        let sibling = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("shardtop").path
        guard FileManager.default.isExecutableFile(atPath: sibling) else {
            throw fail("no shardtop binary beside \(me): build both (swift build -c release), or set SHARDTOP_BINARY")
        }
        return sibling
    }
}
