import ShardtopCore

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
