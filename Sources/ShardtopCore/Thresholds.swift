/// Limits past which a replica counts as lagging. Shared by the events diff and `check`
/// so the dashboard and the headless commands agree on what "lagging" means.
public struct LagThresholds: Hashable, Sendable {
    public var bytes: Int64
    public var seconds: Int

    public init(bytes: Int64 = 1_048_576, seconds: Int = 5) {
        self.bytes = bytes
        self.seconds = seconds
    }

    public static let `default` = LagThresholds()

    public func isLagging(_ node: SnapshotNode) -> Bool {
        if let lag = node.lagBytes, lag > bytes { return true }
        if let lag = node.lagSeconds, lag > seconds { return true }
        return false
    }
}

/// When memory counts as nearly full, and how soon a forecast fill is worth a finding. Shared by
/// `check`, the dashboard and `plan`, like the lag thresholds.
public struct CapacityThresholds: Hashable, Sendable {
    /// A primary using more than (100 - this)% of its maxmemory is nearly full.
    public var memoryHeadroomPercent: Double
    /// A forecast that reaches maxmemory sooner than this (seconds) is a finding.
    public var fillWithinSeconds: Double

    public init(memoryHeadroomPercent: Double = 10, fillWithinSeconds: Double = 86_400) {
        self.memoryHeadroomPercent = memoryHeadroomPercent
        self.fillWithinSeconds = fillWithinSeconds
    }

    public static let `default` = CapacityThresholds()

    /// Used memory at or past the headroom line; false without a limit.
    public func isNearlyFull(used: Int64, max: Int64) -> Bool {
        guard max > 0 else { return false }
        return Double(used) >= Double(max) * (1 - memoryHeadroomPercent / 100)
    }
}

/// How long a node with RDB snapshots on may go without a successful save while its data changes.
public struct PersistenceThresholds: Hashable, Sendable {
    /// Seconds; the default is twice the longest of Redis's default save rules (3600 s, 1 change).
    public var saveAgeSeconds: Int64

    public init(saveAgeSeconds: Int64 = 7_200) {
        self.saveAgeSeconds = saveAgeSeconds
    }

    public static let `default` = PersistenceThresholds()
}
