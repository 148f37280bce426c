/// Actions refuse to start on a cluster that already has problems, because a migration or failover
/// on top of an unrelated fault turns one incident into two. Each action lists the problems it is
/// itself meant to repair, and only those are let through.
public enum ActionPreconditions {
    /// Error findings that block an action, minus the ones in `allowing` (by finding code).
    public static func blockingProblems(_ snapshot: ClusterSnapshot, allowing: Set<String> = []) -> [Finding] {
        ClusterCheck.findings(snapshot).filter { $0.severity == .error && !allowing.contains($0.code) }
    }

    /// One line naming every blocking problem, for refusals.
    public static func refusal(_ problems: [Finding], action: String) -> String {
        let list = problems.prefix(3).map(\.message).joined(separator: "; ")
        let more = problems.count > 3 ? " (and \(problems.count - 3) more; run `shardtop check`)" : ""
        return "refusing to \(action) while the cluster has \(problems.count) problem\(problems.count == 1 ? "" : "s"): \(list)\(more)"
    }
}
