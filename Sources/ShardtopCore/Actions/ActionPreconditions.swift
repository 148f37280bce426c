/// Actions refuse to start on a cluster that already has problems, because a migration or failover
/// on top of an unrelated fault turns one incident into two. Each action lists the problems it is
/// itself meant to repair, and only those are let through.
public enum ActionPreconditions {
    /// Error findings that block an action, minus the ones in `allowing` (by finding code).
    public static func blockingProblems(_ snapshot: ClusterSnapshot, allowing: Set<String> = []) -> [Finding] {
        ClusterCheck.findings(snapshot).filter { $0.severity == .error && !allowing.contains($0.code) }
    }

    /// What blocks `fix`: open slots and the state they cause are its work. When a source failed
    /// over mid-migration, the dead source's "failed" finding and the target's disagreeing view are
    /// part of the same wreck (a node importing a slot ignores the new owner's claim to it, so the
    /// target keeps naming the dead node), and the repair is what ends them.
    public static func blockingProblems(forFixing repairs: [SlotRepair], _ snapshot: ClusterSnapshot) -> [Finding] {
        let failedOver = repairs.filter { $0.kind == .sourceFailedOver }
        let formerSources = Set(failedOver.compactMap(\.formerSourceId))
        let targets = Set(failedOver.map(\.targetId))
        return blockingProblems(snapshot, allowing: ["open-slot", "cluster-state"]).filter { finding in
            switch finding.code {
            case "node-failed", "node-unreachable": !Set(finding.nodes).isSubset(of: formerSources) || formerSources.isEmpty
            case "views-disagree": !Set(finding.nodes).isSubset(of: targets) || targets.isEmpty
            default: true
            }
        }
    }

    /// One line naming every blocking problem, for refusals.
    public static func refusal(_ problems: [Finding], action: String) -> String {
        let list = problems.prefix(3).map(\.message).joined(separator: "; ")
        let more = problems.count > 3 ? " (and \(problems.count - 3) more; run `shardtop check`)" : ""
        return "refusing to \(action) while the cluster has \(problems.count) problem\(problems.count == 1 ? "" : "s"): \(list)\(more)"
    }
}
