import ShardtopCore

/// Fills a plan's preview figures from the source: keys per slot (COUNTKEYSINSLOT, O(1) each) and
/// the biggest keys among a sample (GETKEYSINSLOT + MEMORY USAGE), all pipelined.
public enum MigrationSurvey {
    public static func survey(_ plan: MigrationPlan, links: ActionLinks, sampleSlots: Int = 64, keysPerSlot: Int = 8) async throws -> MigrationPlan {
        var plan = plan
        let source = try await links.connection(plan.sourceAddress)
        let counts = try await source.run("COUNTKEYSINSLOT", plan.slots.map { ["CLUSTER", "COUNTKEYSINSLOT", "\($0)"] })
        plan.keyCount = counts.reduce(0) { $0 + Int($1.int ?? 0) }

        let step = max(1, plan.slots.count / sampleSlots)
        let sampled = stride(from: 0, to: plan.slots.count, by: step).map { plan.slots[$0] }
        let listings = try await source.run("GETKEYSINSLOT", sampled.map { ["CLUSTER", "GETKEYSINSLOT", "\($0)", "\(keysPerSlot)"] })
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
}
