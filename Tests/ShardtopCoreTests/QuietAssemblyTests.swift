import Foundation
import Testing
import ShardtopCore

/// A quiet tick's assembly (`QuietAssembly`: the same voters and views as last tick, nobody
/// failing) reuses the last assembly's nodes and applies only this tick's INFO. It must give
/// exactly what the full assembly gives, on randomized clusters whose INFO numbers, CLUSTER INFO
/// and round trips move from tick to tick while their CLUSTER NODES stay the same.
@Suite struct QuietAssemblyTests {
    @Test func quietTicksAssembleExactlyAsTheFullAssembly() {
        var failures: [String] = []
        var quietTicks = 0
        for seed in UInt64(1)...40 {
            var rng = SeededGenerator(seed: seed)
            let primaries = Int.random(in: 1...40, using: &rng)
            let replicas = [0...0, 1...1, 2...2, 0...2].randomElement(using: &rng)!
            // Mostly healthy (a failed node sends every tick the full way); some with chaos in the views.
            let chaos = Int.random(in: 0..<4, using: &rng) == 0
            let cluster = RandomCluster(primaries: primaries, replicasPerPrimary: replicas, chaos: chaos, rng: &rng)
            let first = cluster.reports(time: 1000, chaos: chaos, rng: &rng)
            if RandomCluster.hasUndecidableDescription(first) { continue }
            let memo = TopologyMemo()
            var previousFull: ClusterSnapshot?
            var previousMemo: ClusterSnapshot?
            for round in 0..<5 {
                let time = 1000 + Double(round)
                var reports = round == 0 ? first : Self.nextNumbers(first, time: time, rng: &rng)
                // Round 3 dials one answering node at another address (its view unchanged): the
                // quiet assembly must hand over to the full one, which places it there.
                if round == 3, let moved = reports.indices.first(where: { if case .answered = reports[$0].outcome { true } else { false } }) {
                    reports[moved].address = NodeAddress(host: reports[moved].address.host, port: reports[moved].address.port + 10_000)
                }
                reports = Self.withTokens(reports)
                let full = SnapshotAssembler.assemble(reports: reports, previous: previousFull, now: time)
                let withMemo = SnapshotAssembler.assemble(reports: reports, previous: previousMemo, now: time, memo: memo)
                if let difference = Self.difference(full, withMemo) {
                    failures.append("seed \(seed) round \(round): \(difference)")
                }
                previousFull = full
                previousMemo = withMemo
            }
            quietTicks += memo.quietAssemblies
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(3).joined(separator: "\n"))")
        // The quiet path must actually have run, on most seeds' rounds 1, 2 and 4.
        #expect(quietTicks >= 40, "quiet assemblies: \(quietTicks)")
    }

    /// A failed report at an address no view lists becomes a node of its own (a wrong seed): it has
    /// no template, so nothing is kept for a quiet tick, and the next ticks are assembled in full.
    @Test func aSeedNobodyListsIsAssembledInFullEveryTick() {
        var rng = SeededGenerator(seed: 7)
        let cluster = RandomCluster(primaries: 3, replicasPerPrimary: 1...1, chaos: false, rng: &rng)
        let stray = NodeReport(address: NodeAddress(host: "127.0.0.1", port: 1), time: 1000, outcome: .failed(reason: "connection refused"))
        let memo = TopologyMemo()
        var previousFull: ClusterSnapshot?
        var previousMemo: ClusterSnapshot?
        for round in 0..<3 {
            let time = 1000 + Double(round)
            let reports = Self.withTokens(Self.nextNumbers(cluster.reports(time: time, chaos: false, rng: &rng), time: time, rng: &rng)) + [stray]
            let full = SnapshotAssembler.assemble(reports: reports, previous: previousFull, now: time)
            let withMemo = SnapshotAssembler.assemble(reports: reports, previous: previousMemo, now: time, memo: memo)
            #expect(Self.difference(full, withMemo) == nil, "round \(round)")
            #expect(withMemo.nodes.contains { $0.address == stray.address && $0.health == .unreachable })
            previousFull = full
            previousMemo = withMemo
        }
        #expect(memo.quietAssemblies == 0)
    }

    /// The same CLUSTER NODES views; every INFO number, CLUSTER INFO field and round trip moved.
    static func nextNumbers(_ reports: [NodeReport], time: Double, rng: inout SeededGenerator) -> [NodeReport] {
        reports.map { report in
            var report = report
            report.time = time
            guard case .answered(let topology, var clusterInfo, var info) = report.outcome else { return report }
            report.roundTripSeconds = Double.random(in: 0.0001...0.01, using: &rng)
            clusterInfo.state = Int.random(in: 0..<5, using: &rng) == 0 ? "fail" : "ok"
            clusterInfo.currentEpoch += Int64.random(in: 0...2, using: &rng)
            info.opsPerSec = Int.random(in: 0...50_000, using: &rng)
            info.usedMemory = Int64.random(in: 1_000_000...9_000_000, using: &rng)
            info.keys = Int64.random(in: 0...100_000, using: &rng)
            info.connectedClients = Int.random(in: 1...50, using: &rng)
            info.evictedKeysTotal = (info.evictedKeysTotal ?? 0) + Int64.random(in: 0...100, using: &rng)
            info.expiredKeysTotal = (info.expiredKeysTotal ?? 0) + Int64.random(in: 0...100, using: &rng)
            info.cpuSystemSeconds = (info.cpuSystemSeconds ?? 1) + Double.random(in: 0...0.05, using: &rng)
            info.cpuUserSeconds = (info.cpuUserSeconds ?? 1) + Double.random(in: 0...0.05, using: &rng)
            info.loading = Int.random(in: 0..<10, using: &rng) == 0
            info.replicationOffset = (info.replicationOffset ?? 0) + Int64.random(in: 0...5_000, using: &rng)
            if info.primaryLinkUp != nil { info.primaryLinkUp = Int.random(in: 0..<4, using: &rng) != 0 }
            info.primaryLinkDownSinceSeconds = info.primaryLinkUp == false ? Int.random(in: 0...30, using: &rng) : nil
            info.replicas = info.replicas.map { ack in
                var ack = ack
                ack.offset += Int64.random(in: 0...5_000, using: &rng)
                ack.lagSeconds = Int.random(in: 0...3, using: &rng)
                return ack
            }
            report.outcome = .answered(topology: topology, clusterInfo: clusterInfo, info: info)
            return report
        }
    }

    /// A token per answered report that stands for its view: the views never change here.
    static func withTokens(_ reports: [NodeReport]) -> [NodeReport] {
        reports.map { report in
            var report = report
            if case .answered(let topology, _, _) = report.outcome {
                var hasher = Hasher()
                for entry in topology { hasher.combine(entry.id) }
                report.topologyToken = UInt64(bitPattern: Int64(hasher.finalize()))
            }
            return report
        }
    }

    static func difference(_ expected: ClusterSnapshot, _ actual: ClusterSnapshot) -> String? {
        SnapshotAssemblerEquivalenceTests.exactDifference(expected, actual)
    }
}
