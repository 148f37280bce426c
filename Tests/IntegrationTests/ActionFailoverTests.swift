import Foundation
import NIOCore
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// Failover on real servers, with a writer that records every acknowledged write.
/// Serialized: timing assertions must not compete with other clusters for the machine's cores.
@Suite(.serialized, .oneClusterAtATime) struct ActionFailoverTests {
    /// Default failover while a writer hammers the primary's slots: nothing acknowledged is lost,
    /// and the tracking sees the flip within 1 s of an independent 50 ms poller of the replica's ROLE.
    @Test(arguments: Engine.allCases)
    func failoverUnderWriteLoadLosesNoAcknowledgedWrite(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1) else { return }
        defer { lab.stop() }
        try await Self.failoverUnderWriteLoad(lab, engine: engine)
    }

    /// The body, shared with the TLS suite (the lab decides plaintext or TLS).
    static func failoverUnderWriteLoad(_ lab: LabCluster, engine: Engine) async throws {
        let fastOptions = TestServers.fastOptions(lab)
        let primary = lab.nodes[0]
        let replica = lab.nodes[3]
        let poller = ClusterPoller(seeds: [lab.seed], options: fastOptions)
        let (ready, _) = try await pollUntil(poller, seconds: 10, interval: .milliseconds(100)) { snapshot, _ in
            snapshot.node(id: replica.id)?.primaryLinkStatus == "up" && snapshot.node(id: replica.id)?.primaryId == primary.id
        }
        await poller.shutdown()
        try #require(ready.node(id: replica.id)?.primaryLinkStatus == "up")

        let owned = (0..<hashSlotCount).filter { ready.slotOwners[$0] == primary.id }
        let slots = stride(from: 0, to: owned.count, by: 100).map { owned[$0] }
        let writer = AckedWriter(seed: lab.seed, slots: slots, keysPerSlot: 4, tls: lab.connectionOptions.tls)
        await writer.start(lanes: 3)
        #expect(await writer.waitForAcks(500), "writer made no progress before the failover")

        // The independent observer: ROLE on the replica every 50 ms, on its own connection.
        let roleConnection = try await RedisConnection.connect(to: replica.address, options: fastOptions)
        defer { roleConnection.close() }
        let flippedAt = Recorded<Double?>(nil)
        let observer = Task {
            while !Task.isCancelled {
                if let reply = try? await roleConnection.send([["ROLE"]]).first, reply.array?.first?.string == "master" {
                    flippedAt.set(Date().timeIntervalSince1970)
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { observer.cancel() }

        let links = ActionLinks(options: fastOptions)
        let trackPoller = ClusterPoller(seeds: [lab.seed], options: fastOptions)
        let sentAt = Date().timeIntervalSince1970
        let rejection = await FailoverRunner.send(.default, to: replica.address, links: links)
        #expect(rejection == nil, "CLUSTER FAILOVER rejected: \(rejection ?? "")")
        let trackedAt = Recorded<Double?>(nil)
        let tracking = FailoverTracking(replicaId: replica.id, replicaAddress: replica.address, oldPrimaryId: primary.id,
                                        mode: .default, sentAt: sentAt)
        let final = await FailoverRunner.track(tracking, poller: trackPoller) { tracking, _ in
            if case .succeeded = tracking.phase, trackedAt.get() == nil { trackedAt.set(Date().timeIntervalSince1970) }
        }
        await trackPoller.shutdown()
        await links.close()
        guard case .succeeded(let seconds) = final.phase else {
            Issue.record("failover did not succeed: \(final.phase)")
            await writer.close()
            return
        }

        // Writes continue on the new primary, then everything acknowledged must read back.
        #expect(await writer.waitForAcks(300), "writer stalled after the failover")
        await writer.stop()
        let lost = await writer.verify()
        let stats = await writer.stats
        await writer.close()
        observer.cancel()
        _ = await observer.value

        let role = try #require(flippedAt.get(), "the ROLE observer never saw the replica become master")
        let tracked = try #require(trackedAt.get())
        print("[\(engine)\(lab.tls == nil ? "" : " tls")] failover: ROLE flip at +\(String(format: "%.3f", role - sentAt)) s, tracking success at +\(String(format: "%.3f", tracked - sentAt)) s (reported \(String(format: "%.2f", seconds)) s); writer: \(stats)")
        #expect(tracked - role <= 1.0, "tracking saw the flip \(tracked - role) s after ROLE did")
        #expect(lost.count == 0, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        #expect(stats.moved > 0, "the writer never followed the new primary: \(stats)")
    }

    /// The replica's replication link is cut (its replication user is disabled on the primary) and
    /// the primary takes writes the replica never gets. The default mode cannot complete and says why;
    /// FORCE is then offered only behind a typed confirmation naming the bytes; the headless command
    /// without a terminal and without --yes refuses and sends nothing.
    @Test(arguments: Engine.allCases)
    func failoverToLaggingReplicaTimesOutThenForceNeedsTypedConfirmation(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1) else { return }
        defer { lab.stop() }
        let primary = lab.nodes[0]
        let replica = lab.nodes[3]
        let options = ConnectionOptions(connectTimeout: .seconds(1), requestTimeout: .seconds(2))
        let onPrimary = try await RedisConnection.connect(to: primary.address, options: options)
        let onReplica = try await RedisConnection.connect(to: replica.address, options: options)
        defer { onPrimary.close(); onReplica.close() }

        func linkStatus() async throws -> String? {
            let info = try await onReplica.send([["INFO", "replication"]]).first?.string ?? ""
            return info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("master_link_status:") }
                .map { String($0.dropFirst("master_link_status:".count)) }
        }
        func waitForLink(_ status: String) async throws -> Bool {
            for _ in 0..<100 {
                if try await linkStatus() == status { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        #expect(try await waitForLink("up"))

        // Replicate as a dedicated user, then disable that user and kill its connection.
        for reply in try await onPrimary.send([["ACL", "SETUSER", "repl", "on", ">pw", "~*", "&*", "+@all"]]) { #expect(reply.errorMessage == nil, "\(reply)") }
        for reply in try await onReplica.send([["CONFIG", "SET", "masteruser", "repl"], ["CONFIG", "SET", "masterauth", "pw"], ["CLIENT", "KILL", "TYPE", "master"]]) {
            #expect(reply.errorMessage == nil, "\(reply)")
        }
        try #require(try await waitForLink("up"), "the replica did not reconnect as repl")
        _ = try await onPrimary.send([["ACL", "SETUSER", "repl", "off"], ["CLIENT", "KILL", "USER", "repl"]])
        try #require(try await waitForLink("down"), "the replica's link did not go down")

        // Writes the replica will never receive.
        let tag = SlotKeys.tags[100]  // the lab gives the first primary slots 0-5461
        let writes = (0..<300).map { ["SET", "{\(tag)}lag\($0)", String(repeating: "v", count: 100)] }
        #expect(try await onPrimary.send(writes).allSatisfy { $0 == .simpleString("OK") })

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        defer { Task { await poller.shutdown() } }
        let (before, _) = try await pollUntil(poller, seconds: 5, interval: .milliseconds(200)) { snapshot, _ in
            (snapshot.node(id: replica.id)?.lagBytes ?? 0) > 0 && snapshot.node(id: replica.id)?.primaryLinkStatus == "down"
        }
        let preflight = try #require(FailoverPreflight.make(snapshot: before, nodeId: replica.id))
        #expect(preflight.linkStatus == "down")
        #expect((preflight.lagBytes ?? 0) > 0, "lag bytes: \(String(describing: preflight.lagBytes))")
        #expect(preflight.offeredModes(defaultFailed: false) == [.default], "FORCE must not be offered before the default failed")
        #expect(preflight.warnings.contains { $0.contains("link") })

        // Default mode: accepted, but the flip cannot happen; tracking times out and names the link.
        let commandsBefore = try await failoverCalls(onReplica)
        let links = ActionLinks(options: TestServers.fastOptions)
        let sentAt = Date().timeIntervalSince1970
        let rejection = await FailoverRunner.send(.default, to: replica.address, links: links)
        await links.close()
        let tracking = FailoverTracking(replicaId: replica.id, replicaAddress: replica.address, oldPrimaryId: primary.id,
                                        mode: .default, sentAt: sentAt, timeout: 8)
        let final: FailoverTracking
        if let rejection {
            var rejected = tracking
            rejected.reject(rejection)
            final = rejected
        } else {
            final = await FailoverRunner.track(tracking, poller: poller)
        }
        print("[\(engine)] default failover to the cut-off replica: \(final.phase)")
        guard case .timedOut(let reason) = final.phase else {
            Issue.record("expected a timeout, got \(final.phase)")
            return
        }
        #expect(reason.contains("link"), "reason: \(reason)")
        #expect(try await role(onReplica) == "slave")

        // FORCE is now on the table, behind a typed confirmation naming the bytes at stake.
        let (after, _) = await poller.tick()
        let escalated = try #require(FailoverPreflight.make(snapshot: after, nodeId: replica.id))
        #expect(escalated.offeredModes(defaultFailed: true).contains(.force))
        let lag = try #require(escalated.lagBytes)
        #expect(lag > 0)
        let confirmation = try #require(escalated.confirmation(for: .force))
        #expect(confirmation.warning.contains("\(lag) bytes"), "warning: \(confirmation.warning)")
        #expect(confirmation.accepts("FORCE"))
        for typed in ["force", "y", "yes", "Force", ""] { #expect(!confirmation.accepts(typed), "accepted \(typed.debugDescription)") }
        #expect(escalated.confirmation(for: .default) == nil)

        // Headless, no terminal, no --yes. First with no failed default on record: FORCE is not offered.
        let state = NSTemporaryDirectory() + "shardtop-failover-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let journal = state + "/actions.jsonl"
        let environment = ["XDG_STATE_HOME": state]
        let calls = try await failoverCalls(onReplica)
        #expect(calls == commandsBefore + 1, "CLUSTER FAILOVER calls on the replica: \(commandsBefore) -> \(calls)")
        let notOffered = try await CLI.run(["failover", "\(replica.address)", "--force", "--journal", journal], environment: environment)
        #expect(notOffered.status == 1, "exit \(notOffered.status): \(notOffered.errorOutput)")
        #expect(notOffered.errorOutput.contains("offered only"), "\(notOffered.errorOutput)")
        // Then with the failed default on record (as `shardtop failover` writes it): the typed
        // confirmation is required, and without a terminal nobody can type it.
        let (user, host) = ActionJournal.identity
        try ActionJournal(path: journal).append(ActionRecord(
            time: Date().timeIntervalSince1970, user: user, host: host, cluster: "test", action: "failover",
            nodes: ["\(replica.address) \(replica.id.prefix(8))", "\(primary.address) \(primary.id.prefix(8))"],
            commands: [escalated.command(.default)], outcome: .failed, detail: "\(reason)"
        ))
        let refused = try await CLI.run(["failover", "\(replica.address)", "--force", "--journal", journal], environment: environment)
        print("[\(engine)] failover --force without a terminal: exit \(refused.status); stdout:\n\(refused.output)stderr: \(refused.errorOutput)")
        #expect(refused.status == 2, "exit \(refused.status): \(refused.errorOutput)")
        let errorLines = refused.errorOutput.split(separator: "\n")
        #expect(errorLines.count == 1, "stderr: \(refused.errorOutput)")
        #expect(refused.errorOutput.contains("--yes"))
        #expect(refused.output.contains("WARNING: FORCE skips the catch-up check"), "\(refused.output)")
        #expect(!refused.output.contains("sent; waiting"))
        // Nothing was sent: no further CLUSTER FAILOVER reached the replica, and it is still a replica.
        #expect(try await failoverCalls(onReplica) == calls)
        #expect(try await role(onReplica) == "slave")
        let (last, _) = await poller.tick()
        #expect(last.node(id: replica.id)?.role == .replica)
        #expect(last.node(id: primary.id)?.role == .primary)
    }

    private func role(_ connection: RedisConnection) async throws -> String? {
        try await connection.send([["ROLE"]]).first?.array?.first?.string
    }

    /// Calls of CLUSTER FAILOVER the node has executed (INFO commandstats, subcommand line).
    private func failoverCalls(_ connection: RedisConnection) async throws -> Int {
        let text = try await connection.send([["INFO", "commandstats"]]).first?.string ?? ""
        guard let line = text.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_cluster|failover:") }) else { return 0 }
        let calls = line.split(separator: ",").first { $0.contains("calls=") }?.split(separator: "=").last
        return calls.flatMap { Int($0) } ?? 0
    }
}
