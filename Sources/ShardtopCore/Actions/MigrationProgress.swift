/// Live figures of a running migration, for the progress display and the headless progress lines.
public struct MigrationProgress: Sendable, Hashable {
    public init(sourceAddress: NodeAddress, targetAddress: NodeAddress, path: MigrationPath, slotsDone: Int, slotsTotal: Int, keysMoved: Int, elapsedSeconds: Double, phase: String) {
        self.sourceAddress = sourceAddress
        self.targetAddress = targetAddress
        self.path = path
        self.slotsDone = slotsDone
        self.slotsTotal = slotsTotal
        self.keysMoved = keysMoved
        self.elapsedSeconds = elapsedSeconds
        self.phase = phase
    }

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
        let eta = etaSeconds.map { "\(Int($0.rounded(.up)))s" } ?? "?"
        return "\(sourceAddress) -> \(targetAddress) [\(path.rawValue)]: \(slotsDone)/\(slotsTotal) slots, \(keysMoved) keys, \(Int(keysPerSecond)) keys/s, ETA \(eta) (\(phase))"
    }
}
