import ShardtopApp
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// Filling a bench lab quickly and evenly: every slot gets its share of keys, written with one
/// MSET per slot (hash-tagged keys, so one command suffices), pipelined per primary. DEBUG
/// POPULATE would be faster but ignores slot ownership, which a restore drill would then trip on.
enum BenchBackupFill {
    static func fill(lab: LabCluster, keys: Int, valueSize: Int) async throws -> Int {
        var longer = lab.connectionOptions
        longer.requestTimeout = .seconds(60)
        let options = longer
        let tags = BenchMigrateCluster.tagsPerSlot()
        let value = String(repeating: "v", count: valueSize)
        let primaries = lab.nodes.filter(\.isPrimary)
        let ranges = slotRanges(lab: lab, count: primaries.count)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for (primary, range) in zip(primaries, ranges) {
                group.addTask {
                    let connection = try await RedisConnection.connect(to: primary.address, options: options)
                    defer { connection.close() }
                    var written = 0
                    var batch: [[String]] = []
                    for slot in range.start...range.end {
                        let perSlot = keys / hashSlotCount + (slot < keys % hashSlotCount ? 1 : 0)
                        guard perSlot > 0 else { continue }
                        var command = ["MSET"]
                        command.reserveCapacity(1 + perSlot * 2)
                        for index in 0..<perSlot { command.append("{\(tags[slot])}k\(index)"); command.append(value) }
                        batch.append(command)
                        written += perSlot
                        if batch.count == 16 {
                            try check(await connection.send(batch))
                            batch.removeAll(keepingCapacity: true)
                        }
                    }
                    if !batch.isEmpty { try check(await connection.send(batch)) }
                    return written
                }
            }
            var total = 0
            for try await count in group { total += count }
            return total
        }
    }

    private static func check(_ replies: [RESPValue]) throws {
        if let error = replies.compactMap(\.errorMessage).first { throw BenchFailure("MSET: \(error)") }
    }

    /// The lab's split (LabClusterBuilder.evenSplit), recomputed here rather than exported.
    private static func slotRanges(lab: LabCluster, count: Int) -> [SlotRange] {
        var ranges: [SlotRange] = []
        var start = 0
        for index in 0..<count {
            let size = hashSlotCount / count + (index < hashSlotCount % count ? 1 : 0)
            ranges.append(SlotRange(start, start + size - 1))
            start += size
        }
        return ranges
    }

    /// A hash tag per slot ("t123" hashing to that slot), found by scanning.
    static func waitForReplicas(lab: LabCluster) async throws {
        let poller = ClusterPoller(seeds: [lab.seed], options: lab.connectionOptions)
        defer { Task { await poller.shutdown() } }
        let deadline = ContinuousClock.now + .seconds(300)
        while true {
            let snapshot = await poller.tick().snapshot
            let replicas = snapshot.nodes.filter { $0.role == .replica }
            if replicas.count == lab.nodes.count - lab.options.primaries,
               replicas.allSatisfy({ $0.primaryLinkStatus == "up" && ($0.lagBytes ?? 1) == 0 }) { return }
            if ContinuousClock.now > deadline { throw BenchFailure("replicas did not catch up within 300 s") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// What an operator would type: BGSAVE on each replica, then poll each until its save ends.
    static func baselineScript(cli: String, ports: [Int]) -> String {
        let list = ports.map(String.init).joined(separator: " ")
        return """
        #!/bin/bash
        set -e
        for p in \(list); do "\(cli)" -h 127.0.0.1 -p "$p" BGSAVE >/dev/null; done
        for p in \(list); do
          while "\(cli)" -h 127.0.0.1 -p "$p" INFO persistence | grep -q '^rdb_bgsave_in_progress:1'; do sleep 0.1; done
          "\(cli)" -h 127.0.0.1 -p "$p" INFO persistence | grep -q '^rdb_last_bgsave_status:ok'
        done

        """
    }
}
