import Testing
import ShardtopCore

@Suite struct AddNodePreflightTests {
    let snapshot = SnapshotAssembler.assemble(reports: FakeCluster.threeByOne().reports(), previous: nil, now: 1)

    func candidate(keys: Int64 = 0, others: Int = 0, version: String = "7.0.15", server: String = "redis", maxMemory: Int64 = 0) -> CandidateNode {
        CandidateNode(address: NodeAddress(host: "127.0.0.1", port: 7100), id: "n".padded, clusterEnabled: true, busPort: 17100, keys: keys,
                      slotCount: 0, openSlots: 0, otherKnownNodes: others, server: server, version: version, maxMemory: maxMemory, isReplica: false)
    }

    @Test func anEmptyCompatibleNodePasses() {
        #expect(AddNodePreflight.problems(candidate(), snapshot: snapshot, replicaOf: nil).isEmpty)
    }

    @Test func eachProblemIsNamed() {
        #expect(AddNodePreflight.problems(candidate(keys: 3), snapshot: snapshot, replicaOf: nil).first?.contains("holds 3 keys") == true)
        #expect(AddNodePreflight.problems(candidate(others: 2), snapshot: snapshot, replicaOf: nil).first?.contains("knows 2 other nodes") == true)
        #expect(AddNodePreflight.problems(candidate(server: "valkey"), snapshot: snapshot, replicaOf: nil).first?.contains("valkey") == true)
        #expect(AddNodePreflight.problems(candidate(version: "6.2.14"), snapshot: snapshot, replicaOf: nil).first?.contains("older") == true)
        var disabled = candidate()
        disabled.clusterEnabled = false
        disabled.id = nil
        #expect(AddNodePreflight.problems(disabled, snapshot: snapshot, replicaOf: nil) == ["127.0.0.1:7100 is not cluster-enabled (start it with cluster-enabled yes)"])
    }

    @Test func aReplicaNeedsRoomForItsPrimarysData() {
        let primary = snapshot.node(id: "a".padded)!  // uses 1 MB in the fixture
        #expect(AddNodePreflight.problems(candidate(maxMemory: 1000), snapshot: snapshot, replicaOf: primary).first?.contains("maxmemory") == true)
        #expect(AddNodePreflight.problems(candidate(maxMemory: 0), snapshot: snapshot, replicaOf: primary).isEmpty)
    }

    @Test func aMemberIsNotAddedTwice() {
        var member = candidate()
        member.id = "a".padded
        #expect(AddNodePreflight.problems(member, snapshot: snapshot, replicaOf: nil).first?.contains("already a member") == true)
    }
}
