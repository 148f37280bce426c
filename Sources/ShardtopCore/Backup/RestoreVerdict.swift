/// The restore drill's verdict: did the cluster built from a backup come up with the backup's
/// slot map and, shard by shard, its key count?
public struct RestoreVerdict: Sendable, Equatable {
    public struct ShardCheck: Sendable, Equatable {
        public var shard: Int
        public var node: String
        public var expectedSlots: [SlotRange]
        public var actualSlots: [SlotRange]
        public var expectedKeys: Int64?
        public var actualKeys: Int64?

        public init(shard: Int, node: String, expectedSlots: [SlotRange], actualSlots: [SlotRange], expectedKeys: Int64?, actualKeys: Int64?) {
            self.shard = shard
            self.node = node
            self.expectedSlots = expectedSlots
            self.actualSlots = actualSlots
            self.expectedKeys = expectedKeys
            self.actualKeys = actualKeys
        }

        public var slotsMatch: Bool { SlotRange.union(expectedSlots) == SlotRange.union(actualSlots) }
        public var keysMatch: Bool { expectedKeys != nil && expectedKeys == actualKeys }
        public var ok: Bool { slotsMatch && keysMatch }

        public var line: String {
            let slots = slotsMatch
                ? "slots \(SlotRange.total(expectedSlots)) as in the manifest"
                : "slots DIFFER: manifest \(text(expectedSlots)), restored \(text(actualSlots))"
            let keys = keysMatch
                ? "keys \(actualKeys ?? 0) as in the manifest"
                : "keys DIFFER: manifest \(expectedKeys.map { "\($0)" } ?? "unknown"), restored \(actualKeys.map { "\($0)" } ?? "unknown")"
            return "shard \(shard)  \(node)  \(slots); \(keys)  \(ok ? "ok" : "MISMATCH")"
        }

        private func text(_ ranges: [SlotRange]) -> String {
            ranges.isEmpty ? "none" : ranges.map(\.description).joined(separator: ",")
        }
    }

    public var shards: [ShardCheck]
    /// Problems outside any one shard (an incomplete manifest, a shard with no file).
    public var notes: [String]

    public init(shards: [ShardCheck], notes: [String] = []) {
        self.shards = shards
        self.notes = notes
    }

    public var ok: Bool { !shards.isEmpty && shards.allSatisfy(\.ok) }

    public var lines: [String] {
        shards.map(\.line) + notes + [ok
            ? "restore drill: OK, \(shards.count) shards, slot map and key counts as in the manifest"
            : "restore drill: MISMATCH in \(shards.filter { !$0.ok }.count) of \(shards.count) shards"]
    }
}
