import ShardtopCore

/// Fills a plan's preview figures from the source: keys per slot (COUNTKEYSINSLOT, O(1) each) and
/// the biggest keys among a sample (GETKEYSINSLOT + MEMORY USAGE), all pipelined.
public enum MigrationSurvey {
    public static func survey(_ plan: MigrationPlan, links: ActionLinks, sampleSlots: Int = 64, keysPerSlot: Int = 8) async throws -> MigrationPlan {
        var plan = plan
        let source = try await links.connection(plan.sourceAddress)
        let step = max(1, plan.slots.count / sampleSlots)
        let sampled = stride(from: 0, to: plan.slots.count, by: step).map { plan.slots[$0] }
        // Counts and the sample's listing in one request: the cold `migrate` pays this before the move.
        let replies = try await source.run("COUNTKEYSINSLOT", FinaliseGuard.commands(plan.slots)
            + sampled.map { ["CLUSTER", "GETKEYSINSLOT", "\($0)", "\(keysPerSlot)"] })
        plan.keyCount = total(replies.prefix(plan.slots.count))
        let listings = replies.dropFirst(plan.slots.count)
        var keys: [(slot: Int, key: [UInt8])] = []
        for (slot, reply) in zip(sampled, listings) {
            for key in (reply.array ?? []).compactMap(SlotMover.bytes) { keys.append((slot, key)) }
        }
        guard !keys.isEmpty else { return plan }
        let sizes = try await source.run("MEMORY USAGE", binary: keys.map { [Array("MEMORY".utf8), Array("USAGE".utf8), $0.key] })
        plan.bigKeys = zip(keys, sizes).compactMap { entry, size in
            size.int.map { BigKey(key: String(decoding: entry.key, as: UTF8.self), slot: entry.slot, bytes: $0) }
        }.sorted { $0.bytes > $1.bytes }.prefix(5).map { $0 }
        return plan
    }

    /// The keys in `slots` on the source, one pipelined request (COUNTKEYSINSLOT is O(1) each):
    /// what sizes a legacy round when the plan was not surveyed.
    static func keyCount(_ slots: [Int], on source: RedisConnection) async throws -> Int {
        total(try await source.run("COUNTKEYSINSLOT", FinaliseGuard.commands(slots))[...])
    }

    private static func total(_ counts: ArraySlice<RESPValue>) -> Int {
        counts.reduce(0) { $0 + Int($1.int ?? 0) }
    }
}
