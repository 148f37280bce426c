import Foundation
import Testing
import ShardtopCore

/// The optimised `SnapshotAssembler` must return exactly what the pre-optimisation one did
/// (`ReferenceSnapshotAssembler`, kept verbatim in this target) on randomized clusters.
@Suite struct SnapshotAssemblerEquivalenceTests {
    @Test func randomizedClustersAssembleExactlyAsBefore() {
        var compared = 0
        var skipped = 0
        var failures: [String] = []
        // 60 seeds keep `swift test` quick in a debug build; SHARDTOP_EQUIVALENCE_SEEDS=400 for a deep run.
        let seeds = UInt64(ProcessInfo.processInfo.environment["SHARDTOP_EQUIVALENCE_SEEDS"].flatMap { Int($0) } ?? 60)
        for seed in UInt64(1)...seeds {
            var rng = SeededGenerator(seed: seed)
            let primaries = Int.random(in: 1...60, using: &rng)
            let replicas = [0...0, 1...1, 2...2, 0...2].randomElement(using: &rng)!
            let chaos = Int.random(in: 0..<8, using: &rng) != 0
            let cluster = RandomCluster(primaries: primaries, replicasPerPrimary: replicas, chaos: chaos, rng: &rng)

            var previousReference: ClusterSnapshot?
            var previousNew: ClusterSnapshot?
            for round in 0..<3 {
                let time = 1000 + Double(round) * 2
                let reports = cluster.reports(time: time, chaos: chaos, rng: &rng)
                if RandomCluster.hasUndecidableDescription(reports) {
                    skipped += 1
                    previousReference = nil
                    previousNew = nil
                    continue
                }
                let expected = ReferenceSnapshotAssembler.assemble(reports: reports, previous: previousReference, now: time)
                let actual = SnapshotAssembler.assemble(reports: reports, previous: previousNew, now: time)
                compared += 1
                if let difference = Self.difference(expected, actual) {
                    failures.append("seed \(seed) round \(round) (\(primaries) primaries, replicas \(replicas), chaos \(chaos)): \(difference)")
                }
                previousReference = expected
                previousNew = actual
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(3).joined(separator: "\n"))")
        // The skip is for the rare tie the old code settled by dictionary order; it must stay rare.
        #expect(Double(compared) >= Double(seeds * 3) * 0.9, "compared \(compared), skipped \(skipped)")
    }

    @Test func edgeCasesAssembleExactlyAsBefore() {
        let address = NodeAddress(host: "127.0.0.1", port: 7001)
        let cases: [(String, [NodeReport])] = [
            ("no reports", []),
            ("nobody answers", [
                NodeReport(address: address, time: 1, outcome: .failed(reason: "connection refused")),
                NodeReport(address: address, time: 1, outcome: .failed(reason: "connection refused")),
            ]),
            ("answer without a myself line", [
                NodeReport(address: address, time: 1, outcome: .answered(
                    topology: [TopologyEntry(id: "a".padded, address: address, flags: .primary, primaryID: nil,
                                             configEpoch: 1, linkConnected: true, slots: [SlotRange(0, 16383)])],
                    clusterInfo: ClusterInfoReport(state: "ok"), info: ServerInfo())),
            ]),
            ("fixture cluster", FakeCluster.threeByOne().reports()),
            ("fixture cluster, one down", FakeCluster.threeByOne().reports(unreachable: ["a".padded])),
        ]
        for (name, reports) in cases {
            let expected = ReferenceSnapshotAssembler.assemble(reports: reports, previous: nil, now: 1)
            let actual = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 1)
            #expect(Self.difference(expected, actual) == nil, "\(name)")
        }
    }

    /// The first field in which two snapshots differ, described, leaving out the fields the
    /// reference does not fill (`withoutLaterFields`); nil when they are the same.
    static func difference(_ expected: ClusterSnapshot, _ actual: ClusterSnapshot) -> String? {
        exactDifference(expected, withoutLaterFields(actual))
    }

    /// The first field in which two snapshots differ, described; nil when they are the same.
    static func exactDifference(_ expected: ClusterSnapshot, _ actual: ClusterSnapshot) -> String? {
        if expected.time != actual.time { return "time \(expected.time) vs \(actual.time)" }
        if expected.state != actual.state { return "state \(expected.state) vs \(actual.state)" }
        if expected.currentEpoch != actual.currentEpoch { return "currentEpoch \(expected.currentEpoch) vs \(actual.currentEpoch)" }
        if expected.nodes != actual.nodes {
            if expected.nodes.count != actual.nodes.count { return "node count \(expected.nodes.count) vs \(actual.nodes.count)" }
            let index = expected.nodes.indices.first { expected.nodes[$0] != actual.nodes[$0] }!
            return "node #\(index):\n  \(expected.nodes[index])\n  \(actual.nodes[index])"
        }
        if expected.shards != actual.shards { return "shards \(expected.shards) vs \(actual.shards)" }
        if expected.slotOwners != actual.slotOwners {
            let slot = expected.slotOwners.indices.first { expected.slotOwners[$0] != actual.slotOwners[$0] }
            return "slotOwners differ first at \(slot.map(String.init) ?? "count")"
        }
        if expected.openSlots != actual.openSlots { return "openSlots \(expected.openSlots) vs \(actual.openSlots)" }
        if expected.disagreeingNodes != actual.disagreeingNodes {
            return "disagreeingNodes \(expected.disagreeingNodes) vs \(actual.disagreeingNodes)"
        }
        return nil
    }

    /// Fields the assembler gained after the reference was frozen (persistence and capacity, each
    /// copied straight from INFO): the reference never sets them, so they are compared nowhere here
    /// (PersistenceInfoParserTests and the capacity tests cover them).
    static func withoutLaterFields(_ snapshot: ClusterSnapshot) -> ClusterSnapshot {
        var copy = snapshot
        for index in copy.nodes.indices {
            copy.nodes[index].persistence = nil
            copy.nodes[index].maxMemory = nil
            copy.nodes[index].maxMemoryPolicy = nil
            copy.nodes[index].fragmentationRatio = nil
            copy.nodes[index].evictedKeys = nil
            copy.nodes[index].expiredKeys = nil
            copy.nodes[index].evictedKeysPerSec = nil
            copy.nodes[index].expiredKeysPerSec = nil
            copy.nodes[index].maxClients = nil
        }
        return copy
    }
}
