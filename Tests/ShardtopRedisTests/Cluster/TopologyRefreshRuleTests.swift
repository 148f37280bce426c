import Testing
import ShardtopCore
@testable import ShardtopRedis

/// The rule alone, without a cluster (the live tests are in IntegrationTests/TopologyRefreshTests):
/// when a node is asked CLUSTER NODES in its poll, and when only if its signature moved.
@Suite struct TopologyRefreshRuleTests {
    let a = NodeAddress(host: "127.0.0.1", port: 7000)
    let b = NodeAddress(host: "127.0.0.1", port: 7001)
    let quiet = TopologySignature(clusterInfo: ClusterInfoReport(state: "ok", knownNodes: 6, size: 3, currentEpoch: 6), info: ServerInfo())

    private func isAlways(_ ask: TopologyAsk) -> Bool { if case .always = ask { return true } else { return false } }

    @Test func firstPollAsksThenOnlyIfChangedUntilDueEveryKTicks() {
        var rule = TopologyRefresh(everyTicks: 5)
        rule.startTick()
        #expect(isAlways(rule.ask(a, forceAll: false)))
        rule.answered(a, asked: .inPoll, signature: quiet, connection: 1, position: 0)
        var due: [Int] = []
        for tick in 2...11 {
            rule.startTick()
            if isAlways(rule.ask(a, forceAll: false)) {
                due.append(tick)
                rule.answered(a, asked: .inPoll, signature: quiet, connection: 1, position: 0)
            } else {
                rule.answered(a, asked: .skipped, signature: quiet, connection: 1, position: 0)
            }
        }
        #expect(due == [6, 11])
    }

    @Test func secondTripRestartsTheCountAndFailureOrForceAsksAtOnce() {
        var rule = TopologyRefresh(everyTicks: 5)
        rule.startTick()
        rule.answered(a, asked: .inPoll, signature: quiet, connection: 1, position: 0)
        rule.startTick()
        #expect(!isAlways(rule.ask(a, forceAll: false)))
        #expect(isAlways(rule.ask(a, forceAll: true)), "settled() and one-shot commands ask every node")
        rule.answered(a, asked: .secondTrip, signature: quiet, connection: 1, position: 0)
        for _ in 0..<4 { rule.startTick(); #expect(!isAlways(rule.ask(a, forceAll: false))) }
        rule.failed(a)
        #expect(isAlways(rule.ask(a, forceAll: false)), "after a failed poll the next one asks in full")
    }

    @Test func nodesFirstReadTogetherFallDueOnDifferentTicks() {
        var rule = TopologyRefresh(everyTicks: 5)
        rule.startTick()
        let nodes = (0..<10).map { NodeAddress(host: "127.0.0.1", port: 7000 + $0) }
        for (position, node) in nodes.enumerated() { rule.answered(node, asked: .inPoll, signature: quiet, connection: 1, position: position) }
        var perTick: [Int] = []
        for _ in 0..<5 {
            rule.startTick()
            let due = nodes.filter { isAlways(rule.ask($0, forceAll: false)) }
            for node in due { rule.answered(node, asked: .inPoll, signature: quiet, connection: 1, position: 0) }
            perTick.append(due.count)
        }
        #expect(perTick == [2, 2, 2, 2, 2])
    }

    @Test func everyTickByDefault() {
        var rule = TopologyRefresh(everyTicks: 1)
        rule.startTick()
        rule.answered(b, asked: .inPoll, signature: quiet, connection: 1, position: 3)
        rule.startTick()
        #expect(isAlways(rule.ask(b, forceAll: false)))
    }

    @Test func theSignatureMovesWithEpochsStateRoleAndReplicas() {
        var bumped = quiet.clusterInfo
        bumped.currentEpoch += 1
        #expect(TopologySignature(clusterInfo: bumped, info: ServerInfo()) != quiet)
        var failing = quiet.clusterInfo
        failing.slotsPFail = 100
        #expect(TopologySignature(clusterInfo: failing, info: ServerInfo()) != quiet)
        var replica = ServerInfo()
        replica.role = .replica
        #expect(TopologySignature(clusterInfo: quiet.clusterInfo, info: replica) != quiet)
        var withReplica = ServerInfo()
        withReplica.replicas = [ReplicaAck(address: b, state: "online", offset: 10, lagSeconds: 0)]
        var movedOffset = withReplica
        movedOffset.replicas[0].offset = 99
        #expect(TopologySignature(clusterInfo: quiet.clusterInfo, info: withReplica) != quiet)
        #expect(TopologySignature(clusterInfo: quiet.clusterInfo, info: withReplica) == TopologySignature(clusterInfo: quiet.clusterInfo, info: movedOffset),
                "replication offsets move every tick and say nothing about the view")
    }
}
