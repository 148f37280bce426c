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

    /// One line naming the blocking problems, for headless refusals.
    public static func refusal(_ problems: [Finding], snapshot: ClusterSnapshot, action: String) -> String {
        let lines = problemLines(problems, snapshot: snapshot)
        if lines.count == 1, problems.allSatisfy({ $0.code == openSlotCode }) {
            return "refusing to \(action) while the cluster has \(lines[0]); settle them with `shardtop fix`"
        }
        let list = lines.prefix(3).joined(separator: "; ")
        let more = lines.count > 3 ? " (and \(lines.count - 3) more; run `shardtop check`)" : ""
        return "refusing to \(action) while the cluster has \(lines.count) problem\(lines.count == 1 ? "" : "s"): \(list)\(more)"
    }

    /// A heading and the problems, one a line, for the dashboard's refusal dialog.
    public static func refusalLines(_ problems: [Finding], snapshot: ClusterSnapshot, heading: (Int) -> String) -> [String] {
        let lines = problemLines(problems, snapshot: snapshot)
        return [heading(lines.count)] + lines.prefix(6)
    }

    /// The problems as an operator counts them. ClusterCheck reports each open-slot mark (so both
    /// sides of a slot being moved, and 1000 open slots made "2000 problems"); here they fold into
    /// one line, "16 open slots: 0-15", where the first of them stood.
    public static func problemLines(_ problems: [Finding], snapshot: ClusterSnapshot) -> [String] {
        guard let first = problems.firstIndex(where: { $0.code == openSlotCode }) else { return problems.map(\.message) }
        let slots = snapshot.openSlotNumbers
        let summary = "\(slots.count) open slot\(slots.count == 1 ? "" : "s"): \(SnapshotDiff.describe(SlotRange.ranges(fromSortedSlots: slots)))"
        let before = problems[..<first].map(\.message)
        let after = problems[first...].filter { $0.code != openSlotCode }.map(\.message)
        return before + [summary] + after
    }

    static let openSlotCode = "open-slot"
}
