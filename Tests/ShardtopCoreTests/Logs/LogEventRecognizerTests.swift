import Testing
import ShardtopCore

@Suite struct LogEventRecognizerTests {
    @Test func redisManualFailoverOnTheReplica() throws {
        #expect(try LogFixtures.events("redis7-replica-manual-failover") == [
            .manualFailoverAccepted, .failoverElectionStarted(epoch: 7), .failoverElectionWon,
            .nodeMarkedFailing(node: "f292d0c3fdf860ebec775b1669031de1ab56caa5"),
            .failCleared(node: "f292d0c3fdf860ebec775b1669031de1ab56caa5"),
        ])
    }

    @Test func redisReplicaPromotedAfterItsPrimaryFailed() throws {
        #expect(try LogFixtures.events("redis7-replica-promoted-after-fail") == [
            .failoverElectionStarted(epoch: 8), .failoverElectionWon,
            .failCleared(node: "f292d0c3fdf860ebec775b1669031de1ab56caa5"),
        ])
    }

    @Test func redisOldPrimaryBecomesAReplica() throws {
        #expect(try LogFixtures.events("redis7-old-primary") == [
            .reconfiguredAsReplica(of: "57320dc9b1bd3ff6fa900e859d1a27cd4f933046"),
            .failCleared(node: "f292d0c3fdf860ebec775b1669031de1ab56caa5"),
        ])
    }

    @Test func redisVoterMarksFailing() throws {
        #expect(try LogFixtures.events("redis7-voter") == [
            .nodeMarkedFailing(node: "f292d0c3fdf860ebec775b1669031de1ab56caa5"),
            .failCleared(node: "f292d0c3fdf860ebec775b1669031de1ab56caa5"),
        ])
    }

    @Test func redisTimeoutCollisionAndDenial() throws {
        #expect(try LogFixtures.events("redis7-manual-failover-timeout-and-epoch-collision") == [
            .configEpochCollision(with: "cc7cdd69f65175c23239f83726d14128eadea948"),
            .manualFailoverAccepted, .manualFailoverTimedOut,
        ])
        #expect(try LogFixtures.events("redis7-failover-auth-denied") == [
            .nodeMarkedFailing(node: "c19e0d7333247386ca863b22084f5c16a5e2c57e"),
            .failoverAuthDenied(to: "77935f3ca4d78cbf9b921f8947fcb3d190af3d0d"),
            .failCleared(node: "c19e0d7333247386ca863b22084f5c16a5e2c57e"),
        ])
    }

    @Test func valkeyLegacyAndLogfmtSayTheSame() throws {
        let legacy = try LogFixtures.events("valkey9-legacy-replica-manual-failover")
        #expect(legacy.prefix(3) == [.manualFailoverAccepted, .failoverElectionStarted(epoch: 7), .failoverElectionWon])
        #expect(try LogFixtures.events("valkey9-logfmt-replica-manual-failover") == [
            .manualFailoverAccepted, .failoverElectionStarted(epoch: 7), .failoverElectionWon,
            .failCleared(node: "fa7a3ea6bbd4d6b2164789f66f644277d0a88be5"),
        ])
        #expect(try LogFixtures.events("valkey9-logfmt-replica-promoted-after-fail") == [
            .nodeMarkedFailing(node: "fa7a3ea6bbd4d6b2164789f66f644277d0a88be5"),
            .failoverElectionStarted(epoch: 8), .failoverElectionWon,
            .failCleared(node: "fa7a3ea6bbd4d6b2164789f66f644277d0a88be5"),
        ])
        #expect(try LogFixtures.events("valkey9-logfmt-old-primary").first == .reconfiguredAsReplica(of: "9a0782ae80ba497d4cd8b25fca795ce09701644a"))
    }

    @Test func valkeyTimeoutAndCollision() throws {
        let events = try LogFixtures.events("valkey9-manual-failover-timeout-and-epoch-collision")
        #expect(events == [
            .configEpochCollision(with: "fcd826b44be700fd8a26f1cb6c7bad4fe13bc8ab"),
            .configEpochCollision(with: "b1b043f920dc1c6049a3cd67e4a7080a3bd50a4f"),
            .manualFailoverAccepted, .manualFailoverTimedOut,
        ])
    }

    @Test func nearMissesAreNotEvents() {
        for message in ["", "S", "Starting", "Marking node abc as failing (quorum reached).",
                        "Marking node f292d0c3fdf860ebec775b1669031de1ab56caa5 as failing.",
                        "FAIL message received from a about b", "Failover auth granted to x for epoch 7",
                        "Clear FAIL state for node xyz: back", "Manual failover requested by replica x."] {
            let event = LogEventRecognizer.recognize(message)
            if message.hasPrefix("Clear FAIL") {
                #expect(event == .failCleared(node: nil))  // recognised, but no valid id to point at
            } else if message.hasPrefix("Marking node abc") {
                #expect(event == .nodeMarkedFailing(node: nil))
            } else {
                #expect(event == nil, "\(message)")
            }
        }
        #expect(LogEventRecognizer.recognize("Starting a failover election for epoch x") == .failoverElectionStarted(epoch: nil))
    }

    @Test func descriptionsUseShortIds() {
        #expect(LogEventKind.nodeMarkedFailing(node: "f292d0c3fdf860ebec775b1669031de1ab56caa5").description == "node marked failing: f292d0c3")
        #expect(LogEventKind.failoverElectionStarted(epoch: 8).description == "failover election started (epoch 8)")
    }
}
