import ShardtopCore

/// Where a replay stands, for the header and the replay keys. The clock and the feeding of
/// recorded ticks live outside (the replay driver); this is what the screen shows of them.
public struct ReplayStatus: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var position: Double
    public var speed: Int
    public var paused: Bool

    public init(start: Double, end: Double, position: Double, speed: Int, paused: Bool) {
        self.start = start
        self.end = end
        self.position = position
        self.speed = speed
        self.paused = paused
    }

    /// 1x to 60x, in steps an operator can reason about.
    public static let speeds = [1, 2, 5, 10, 30, 60]
}

/// What the replay keys ask the driver to do.
public enum ReplayRequest: Sendable, Equatable {
    case faster
    case slower
    case seek(seconds: Double)
}
