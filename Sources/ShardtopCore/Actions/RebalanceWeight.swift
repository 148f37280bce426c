/// A primary's weight in a rebalance: its share is weight / sum of weights. 0 drains it.
public enum RebalanceWeight {
    /// A share beyond 16384 to 1 is less than one slot, so a million is already more than any plan
    /// can express; the cap keeps sums and products of weights far from overflow (three weights of
    /// 1e308 summed to infinity, every target became NaN, and printing it trapped).
    public static let range: ClosedRange<Double> = 0...1_000_000

    public static func isValid(_ weight: Double) -> Bool { weight.isFinite && range.contains(weight) }

    /// What the planner uses: callers are expected to refuse invalid weights (the CLI does, with one
    /// line), but a plan must never be arithmetic on NaN or infinity, so anything else is brought
    /// into range here (NaN counts as the default, 1).
    static func effective(_ weight: Double?) -> Double {
        guard let weight else { return 1 }
        if weight.isNaN { return 1 }
        return min(max(weight, range.lowerBound), range.upperBound)
    }
}
