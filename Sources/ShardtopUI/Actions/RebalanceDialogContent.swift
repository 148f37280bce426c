import ShardtopCore

extension DialogContent {
    /// The rebalance preview: one line per move (a cluster of 15 primaries must still fit), and the
    /// balance as how far the furthest primary is from its share, now and after.
    static func rebalanceContent(_ rebalance: RebalancePlan, plans: [MigrationPlan], title: String, name: (String) -> String) -> DialogContent {
        var lines: [Line] = []
        for plan in plans {
            let keys = plan.keyCount.map { "\($0) key\($0 == 1 ? "" : "s")" } ?? "? keys"
            lines.append(Line(text: "\(name(plan.sourceId)) -> \(name(plan.targetId)): \(plan.slots.count) slots \(SnapshotDiff.describe(plan.ranges)), \(keys), \(plan.path.rawValue)"))
        }
        let keys = plans.reduce(0) { $0 + ($1.keyCount ?? 0) }
        let seconds = plans.reduce(0) { $0 + $1.estimatedSeconds() }
        lines.append(Line(text: "in all \(keys) key\(keys == 1 ? "" : "s"), about \(Format.seconds(seconds)), one move after another", role: .dim))
        lines.append(Line(text: "furthest primary from its share: \(furthest(rebalance.before, rebalance)) now, \(furthest(rebalance.after, rebalance)) after", role: .header))
        var warned = Set<String>()
        for warning in plans.flatMap(\.warnings) where warned.insert(warning).inserted {
            lines.append(Line(text: "! \(warning)", role: .warning))
        }
        lines.append(Line(text: "A slot is finalised only after the source holds no key in it; P pauses, X cancels.", role: .dim))
        return DialogContent(title: title, lines: lines, hint: "Enter/y start   Esc cancel", danger: true)
    }

    /// "37% (8192 slots, share 5461)": the largest distance from a primary's share.
    private static func furthest(_ amounts: [String: Double], _ plan: RebalancePlan) -> String {
        var worst: (fraction: Double, amount: Double, share: Double) = (0, 0, 0)
        for (id, share) in plan.targets where share > 0 {
            let amount = amounts[id] ?? 0
            let fraction = abs(amount - share) / share
            if fraction > worst.fraction { worst = (fraction, amount, share) }
        }
        guard worst.share > 0 else { return "0%" }
        return "\(Int((worst.fraction * 100).rounded()))% (\(Int(worst.amount.rounded())) slots, share \(Int(worst.share.rounded())))"
    }
}
