import ShardtopCore

/// Live figures of a running migration, for the progress display and the headless progress lines.
public struct MigrationProgress: Sendable, Hashable {
    public var sourceAddress: NodeAddress
    public var targetAddress: NodeAddress
    public var path: MigrationPath
    public var slotsDone: Int
    public var slotsTotal: Int
    public var keysMoved: Int
    public var elapsedSeconds: Double
    /// What the engine is doing now, e.g. "moving slot 1234" or "paused".
    public var phase: String

    public var keysPerSecond: Double { elapsedSeconds > 0 ? Double(keysMoved) / elapsedSeconds : 0 }

    /// From the slot rate so far; nil until one slot is done.
    public var etaSeconds: Double? {
        guard slotsDone > 0, slotsDone < slotsTotal else { return slotsDone >= slotsTotal ? 0 : nil }
        return elapsedSeconds / Double(slotsDone) * Double(slotsTotal - slotsDone)
    }

    public var line: String {
        let eta = etaSeconds.map { String(format: "%.1fs", $0) } ?? "?"
        return "\(sourceAddress) -> \(targetAddress) [\(path.rawValue)]: \(slotsDone)/\(slotsTotal) slots, \(keysMoved) keys, \(Int(keysPerSecond)) keys/s, ETA \(eta) (\(phase))"
    }
}

/// How a finished migration went.
public struct MigrationOutcome: Sendable, Hashable {
    public var slotsMoved: Int
    public var keysMoved: Int
    public var seconds: Double
    /// Commands sent, as templates with counts (a 500-slot move sends thousands).
    public var commands: [String]
    /// Non-fatal notes, e.g. a primary that missed the ownership broadcast (gossip repairs it).
    public var notes: [String]
}
