import NIOCore
import ShardtopCore

/// Keys per slot for the slot map. CLUSTER SLOT-STATS (Valkey 8+, Redis 8.2+) answers for a whole
/// range in one call; older servers get COUNTKEYSINSLOT (O(1) each) for a sample of each primary's
/// slots, capped by a budget so a big cluster costs a bounded number of commands.
public enum SlotKeyCounter {
    public static let sampleBudget = 4096

    public static func count(snapshot: ClusterSnapshot, poller: ClusterPoller) async -> [Int: Int] {
        let primaries = snapshot.primaries.filter { $0.isReachable && !$0.slots.isEmpty }
        guard !primaries.isEmpty else { return [:] }
        let perPrimary = max(1, sampleBudget / primaries.count)
        var result: [Int: Int] = [:]
        await withTaskGroup(of: [Int: Int].self) { group in
            for primary in primaries {
                let client = await poller.client(for: primary.address)
                group.addTask { await count(on: client, ranges: primary.slots, sample: perPrimary) }
            }
            for await counts in group { result.merge(counts) { a, _ in a } }
        }
        return result
    }

    static func count(on client: NodeClient, ranges: [SlotRange], sample: Int) async -> [Int: Int] {
        var commands: [[String]] = ranges.map { ["CLUSTER", "SLOT-STATS", "SLOTSRANGE", "\($0.start)", "\($0.end)"] }
        if let replies = try? await client.send(commands, timeout: .seconds(2)), replies.allSatisfy({ $0.errorMessage == nil }) {
            var counts: [Int: Int] = [:]
            for reply in replies {
                for entry in reply.array ?? [] {
                    guard let pair = entry.array, pair.count == 2, let slot = pair[0].int else { continue }
                    let fields = pair[1].array ?? []
                    var index = 0
                    while index + 1 < fields.count {
                        if fields[index].string == "key-count", let value = fields[index + 1].int { counts[Int(slot)] = Int(value) }
                        index += 2
                    }
                    if case .map(let map) = pair[1] {
                        for item in map where item.key.string == "key-count" { counts[Int(slot)] = item.value.int.map(Int.init) }
                    }
                }
            }
            return counts
        }
        // Fallback: an evenly spread sample of the primary's slots.
        let slots = ranges.flatMap { Array($0.start...$0.end) }
        let stride = max(1, slots.count / sample)
        let sampled = Swift.stride(from: 0, to: slots.count, by: stride).map { slots[$0] }
        commands = sampled.map { ["CLUSTER", "COUNTKEYSINSLOT", "\($0)"] }
        guard let replies = try? await client.send(commands, timeout: .seconds(2)) else { return [:] }
        var counts: [Int: Int] = [:]
        for (slot, reply) in zip(sampled, replies) {
            if let value = reply.int { counts[slot] = Int(value) }
        }
        return counts
    }
}
