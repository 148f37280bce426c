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
