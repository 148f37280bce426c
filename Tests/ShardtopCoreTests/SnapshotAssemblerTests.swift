import Testing
import ShardtopCore

@Suite struct SnapshotAssemblerTests {
    @Test func healthyClusterMatchesWhatNodesReport() {
        let cluster = FakeCluster.threeByOne()
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(), previous: nil, now: 100)
        #expect(snapshot.state == "ok")
        #expect(snapshot.slotsCovered == hashSlotCount)
        #expect(snapshot.nodes.count == 6)
        #expect(snapshot.shards.count == 3)
        #expect(snapshot.nodes.allSatisfy { $0.health == .ok })
        #expect(snapshot.disagreeingNodes.isEmpty)
        // Primaries in slot order, each followed by its replica.
        #expect(snapshot.nodes.map(\.address.port) == [7001, 7004, 7002, 7005, 7003, 7006])
        let replica = snapshot.node(id: "d".padded)
        #expect(replica?.primaryId == "a".padded)
        #expect(replica?.lagBytes == 0)
        #expect(replica?.primaryLinkStatus == "up")
        #expect(snapshot.slotOwners[0] == "a".padded)
        #expect(snapshot.slotOwners[16383] == "c".padded)
    }

    @Test func unreachableNodeIsLabelledAsOurObservationAndKeepsLastNumbers() {
        let cluster = FakeCluster.threeByOne()
        let first = SnapshotAssembler.assemble(reports: cluster.reports(time: 100), previous: nil, now: 100)
        let second = SnapshotAssembler.assemble(reports: cluster.reports(time: 101, unreachable: ["a".padded]), previous: first, now: 101)
        let node = second.node(id: "a".padded)
        #expect(node?.health == .unreachable)
        #expect(node?.error == "timed out after 500 ms")
        #expect(node?.keys == 10)
        #expect(node?.lastSeen == 100)
        // Its slots still belong to it in the others' view.
        #expect(second.slotsCovered == hashSlotCount)
    }

    @Test func clusterFailFlagWinsOverUnreachable() {
        let cluster = FakeCluster.threeByOne()
        let reports = cluster.reports(unreachable: ["a".padded], flagsFor: { $0.id == "a".padded ? .fail : [] })
        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 100)
        #expect(snapshot.node(id: "a".padded)?.health == .fail)
        #expect(snapshot.node(id: "a".padded)?.flags.contains("fail") == true)
    }

    @Test func lagIsPrimaryOffsetMinusFurthestKnownReplicaOffset() {
        var cluster = FakeCluster.threeByOne()
        cluster.members[0].offset = 50_000
        cluster.members[3].offset = 20_000
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(), previous: nil, now: 100)
        #expect(snapshot.node(id: "d".padded)?.lagBytes == 30_000)
    }

    @Test func unreachableReplicaStillHasLagFromPrimaryAcks() {
        var cluster = FakeCluster.threeByOne()
        cluster.members[0].offset = 90_000
        cluster.members[3].offset = 10_000
        let snapshot = SnapshotAssembler.assemble(reports: cluster.reports(unreachable: ["d".padded]), previous: nil, now: 100)
        #expect(snapshot.node(id: "d".padded)?.lagBytes == 80_000)
    }

    @Test func openSlotsComeFromEachPrimarysOwnLine() {
        let cluster = FakeCluster.threeByOne()
        let reports = cluster.reports(openSlots: [
            "a".padded: [OpenSlotMark(slot: 7, direction: .migrating, peerID: "b".padded)],
            "b".padded: [OpenSlotMark(slot: 7, direction: .importing, peerID: "a".padded)],
        ])
        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 100)
        #expect(snapshot.openSlots == [
            OpenSlot(slot: 7, state: .importing, node: "b".padded, peer: "a".padded),
            OpenSlot(slot: 7, state: .migrating, node: "a".padded, peer: "b".padded),
        ])
    }

    @Test func minorityViewIsFlaggedAsDisagreeing() {
        let cluster = FakeCluster.threeByOne()
        let reports = cluster.reports(view: { viewer in
            guard viewer.id == "f".padded else { return nil }
            var members = cluster.members
            members[0].slots = [SlotRange(0, 5000)]
            members[1].slots = [SlotRange(5001, 10922)]
            return members
        })
        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 100)
        #expect(snapshot.disagreeingNodes == ["f".padded])
        #expect(snapshot.slotOwners[5100] == "a".padded)
    }

    @Test func seedThatNeverAnsweredIsKeptWithItsError() {
        let cluster = FakeCluster.threeByOne()
        var reports = cluster.reports()
        reports.append(NodeReport(address: NodeAddress(host: "127.0.0.1", port: 1), time: 100, outcome: .failed(reason: "connection refused")))
        let snapshot = SnapshotAssembler.assemble(reports: reports, previous: nil, now: 100)
        let orphan = snapshot.nodes.last
        #expect(orphan?.id == "?127.0.0.1:1")
        #expect(orphan?.health == .unreachable)
        #expect(snapshot.shards.count == 3)
    }

    @Test func cpuPercentComesFromTwoSamples() {
        let cluster = FakeCluster.threeByOne()
        let first = SnapshotAssembler.assemble(reports: cluster.reports(time: 100), previous: nil, now: 100)
        var reports = cluster.reports(time: 102)
        if case .answered(let topology, let clusterInfo, var info) = reports[0].outcome {
            info.cpuUserSeconds = 2  // +1 s of CPU over 2 s
            reports[0].outcome = .answered(topology: topology, clusterInfo: clusterInfo, info: info)
        }
        let second = SnapshotAssembler.assemble(reports: reports, previous: first, now: 102)
        #expect(second.node(id: "a".padded)?.cpuPercent == 50)
    }
}
