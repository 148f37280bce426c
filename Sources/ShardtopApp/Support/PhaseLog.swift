import Foundation

/// Where a cold one-shot command spends its time, for `shardtop-bench snapshot`'s breakdown.
///
/// With `SHARDTOP_PHASES` set in the environment, each `mark` writes `phase NAME SECONDS` (wall
/// clock, Unix seconds) to stderr; the bench spawns the command with it set and subtracts. Unset,
/// a mark costs one check of a flag read once per process.
public enum PhaseLog {
    /// getenv, not ProcessInfo's dictionary of the whole environment: this runs before argument
    /// parsing in every process.
    private static let enabled = getenv("SHARDTOP_PHASES") != nil

    public static func mark(_ name: String) {
        guard enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let line = "phase \(name) \(now.tv_sec).\(String(now.tv_nsec).leftPadded(to: 9))\n"
        StandardOutput.writeError(Data(line.utf8))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
