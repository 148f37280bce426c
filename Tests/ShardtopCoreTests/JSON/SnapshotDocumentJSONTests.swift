import Foundation
import Testing
import ShardtopCore

/// `snapshot --json` must stay the document scripts already read: the new tree and writer give
/// the bytes the old `JSONEncoder` path gave (`ReferenceSnapshotDocument`), on randomized clusters
/// and on nodes with every field set; and recordings, which encode nodes through the same tree,
/// read back to the same values.
@Suite struct SnapshotDocumentJSONTests {
    @Test func randomizedClustersWriteTheSameBytesAsBefore() throws {
        for seed in UInt64(1)...40 {
            var rng = SeededGenerator(seed: seed)
            let cluster = RandomCluster(primaries: Int.random(in: 1...20, using: &rng), replicasPerPrimary: 0...2,
                                        chaos: seed % 4 != 0, rng: &rng)
            var previous: ClusterSnapshot?
            for round in 0..<2 {
                let time = 1000 + Double(round) * 2.5
                let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(time: time, chaos: seed % 4 != 0, rng: &rng),
                                                          previous: previous, now: time)
                previous = snapshot
                let document = SnapshotDocument(snapshot: snapshot, findings: ClusterCheck.findings(snapshot))
                let expected = try JSONTextTests.encoderBytes(ReferenceSnapshotDocument(document))
                let difference = JSONTextTests.difference(document.prettyJSON, expected)
                #expect(difference == nil, "seed \(seed) round \(round): \(difference ?? "")")
            }
        }
    }

    @Test func nodesWithEveryFieldSetWriteTheSameBytesAsBefore() throws {
        for seed in UInt64(1)...50 {
            var rng = SeededGenerator(seed: seed)
            var document = SnapshotDocument(snapshot: ClusterSnapshot(time: 1_733_300_000.125, state: "ok", nodes: [], shards: [], slotOwners: [],
                                                                        openSlots: [], disagreeingNodes: ["d1"], currentEpoch: 9), findings: [])
            document.nodes = (0..<3).map { _ in Self.fullNode(&rng) }
            document.findings = [Finding(severity: .warning, code: "lag", message: RandomJSON.string(&rng), nodes: ["a", "b"])]
            document.openSlots = [OpenSlot(slot: 5, state: .importing, node: "n1", peer: "n2")]
            document.shards = [Shard(primaryId: "p", replicaIds: ["r1"], slots: [SlotRange(0, 5), SlotRange(7, 7)])]
            let expected = try JSONTextTests.encoderBytes(ReferenceSnapshotDocument(document))
            let difference = JSONTextTests.difference(document.prettyJSON, expected)
            #expect(difference == nil, "seed \(seed): \(difference ?? "")")
        }
    }

    /// `JSONText` sorts an object's members only when they are out of order; the document's types
    /// list theirs in order, so writing it never sorts.
    @Test func documentMembersAreListedInTheOrderTheyAreWritten() {
        var rng = SeededGenerator(seed: 3)
        var document = SnapshotDocument(snapshot: ClusterSnapshot(time: 1, state: "ok", nodes: [], shards: [], slotOwners: [],
                                                                  openSlots: [], disagreeingNodes: [], currentEpoch: 1), findings: [])
        document.nodes = [Self.fullNode(&rng)]
        document.findings = [Finding(severity: .error, code: "c", message: "m")]
        document.openSlots = [OpenSlot(slot: 1, state: .migrating, node: "a", peer: "b")]
        document.shards = [Shard(primaryId: "p", replicaIds: [], slots: [])]
        var unsorted: [String] = []
        func visit(_ value: JSONValue, _ path: String) {
            switch value {
            case .array(let items): for item in items { visit(item, path + "[]") }
            case .object(let members):
                let keys = members.map(\.key)
                if keys != keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { unsorted.append(path.isEmpty ? "document" : path) }
                for member in members { visit(member.value, path + "." + member.key) }
            default: break
            }
        }
        visit(document.jsonValue, "")
        #expect(unsorted.isEmpty, "members out of order in \(unsorted)")
    }

    @Test func recordedNodesReadBackUnchanged() throws {
        var rng = SeededGenerator(seed: 7)
        let nodes = (0..<20).map { _ in Self.fullNode(&rng) } + [SnapshotNode(id: "?h:1", address: NodeAddress(host: "h", port: 1), role: .primary, health: .unreachable)]
        let decoded = try JSONDecoder().decode([SnapshotNode].self, from: JSONEncoder().encode(nodes))
        #expect(decoded == nodes)
    }

    /// Every optional field set, so a key spelled differently from `CodingKeys` cannot pass unseen.
    static func fullNode(_ rng: inout SeededGenerator) -> SnapshotNode {
        func text() -> String { RandomJSON.string(&rng) + "x" }
        func int() -> Int { Int.random(in: 0...1_000_000, using: &rng) }
        func int64() -> Int64 { Int64.random(in: 0...1_000_000_000_000, using: &rng) }
        func double() -> Double { RandomJSON.double(&rng) }
        func flag() -> Bool { Bool.random(using: &rng) }
        var node = SnapshotNode(id: String(repeating: "ab", count: 20), address: NodeAddress(host: "10.0.0.\(int() % 250)", port: int() % 65535),
                                role: [.primary, .replica].randomElement(using: &rng)!, health: NodeHealth.allCases.randomElement(using: &rng)!)
        node.hostname = text()
        node.primaryId = text()
        node.flags = ["myself", text()]
        node.linkConnected = flag()
        node.configEpoch = int64()
        node.slots = [SlotRange(0, int() % 16384)]
        node.server = text(); node.version = text(); node.opsPerSec = int(); node.usedMemory = int64(); node.maxMemory = int64()
        node.maxMemoryPolicy = text(); node.fragmentationRatio = double(); node.evictedKeys = int64(); node.expiredKeys = int64()
        node.evictedKeysPerSec = double(); node.expiredKeysPerSec = double(); node.keys = int64(); node.clients = int()
        node.maxClients = int(); node.cpuPercent = double(); node.replicationOffset = int64(); node.primaryLinkStatus = text()
        node.lagBytes = int64(); node.lagSeconds = int(); node.syncInProgress = flag(); node.syncPercent = double()
        node.error = text(); node.lastSeen = double(); node.roundTripMillis = double(); node.cpuSecondsTotal = double()
        var persistence = PersistenceInfo(loading: flag())
        persistence.loadingPercent = double(); persistence.loadingEtaSeconds = int(); persistence.rdbLastSaveTime = int64()
        persistence.rdbLastSaveAgeSeconds = int64(); persistence.rdbChangesSinceLastSave = int64(); persistence.rdbBgsaveInProgress = flag()
        persistence.rdbLastBgsaveStatus = .failed; persistence.rdbLastBgsaveSeconds = int(); persistence.rdbSaveConfigured = flag()
        persistence.latestForkMicros = int64(); persistence.aofEnabled = flag(); persistence.aofRewriteInProgress = flag()
        persistence.aofLastWriteStatus = .ok; persistence.aofLastRewriteStatus = .failed
        node.persistence = persistence
        return node
    }
}
