/// The removal plan in words: the same preview for `shardtop remove-node` and the dashboard's dialog.
public enum NodeRemovalPlanText {
    public static func summary(_ plan: NodeRemovalPlan, snapshot: ClusterSnapshot) -> String {
        var parts = ["remove \(plan.node.address) \(plan.node.id.prefix(8))"]
        if plan.slotsDrained > 0 { parts.append("drain \(plan.slotsDrained) slots") }
        if !plan.replicaMoves.isEmpty { parts.append("re-home \(plan.replicaMoves.count) replica(s)") }
        parts.append("forget on \(plan.forgetOn.count) nodes, then reset it")
        return parts.joined(separator: ", ")
    }

    public static func lines(_ plan: NodeRemovalPlan, snapshot: ClusterSnapshot) -> [String] {
        func name(_ id: String) -> String { snapshot.node(id: id).map { "\($0.address)" } ?? String(id.prefix(8)) }
        let node = plan.node
        var lines = ["plan: remove \(node.address) \(node.id.prefix(8)) (\(node.isPrimary ? "primary, \(node.slotCount) slots" : "replica of \(name(node.primaryId ?? "?"))"))"]
        if let drain = plan.drain {
            lines.append("  1. drain \(drain.slotsMoved) slots through the migration engine:")
            for move in drain.moves { lines.append("       -> \(name(move.toId)): \(move.slots.count) slots \(SnapshotDiff.describe(move.ranges))") }
        }
        for move in plan.replicaMoves {
            lines.append("  - CLUSTER REPLICATE: \(name(move.replicaId)) follows \(name(move.newPrimaryId)) instead")
        }
        lines.append("  - CLUSTER FORGET \(node.id.prefix(8)) on \(plan.forgetOn.count) nodes within the 60 s ban window, until none lists it")
        lines.append("  - CLUSTER RESET HARD on \(node.address), so it cannot rejoin by gossip")
        return lines
    }
}
