import Foundation
import NIOCore
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// A fake node sends hostile replies; the poller reports a clear error for it while the real
/// cluster beside it is polled normally.
@Suite(.serialized, .oneClusterAtATime) struct HostileNodeTests {
    static let payloads: [(name: String, bytes: [UInt8], expect: String)] = [
        ("huge bulk length", Array("$9223372036854775807\r\n".utf8), "exceeds"),
        ("huge array", Array("*2147483647\r\n".utf8), "exceeds"),
        ("integer overflow", Array(":99999999999999999999999\r\n".utf8), "overflow"),
        ("deep nesting", Array(String(repeating: "*1\r\n", count: 5000).utf8), "nesting"),
        ("unknown type byte", Array("A\r\n".utf8), "type"),
        ("negative length", Array("$-7\r\n".utf8), "length"),
    ]

    /// One real cluster serves every payload: what is under test is the fake node, not the cluster.
    @Test func hostileRepliesGiveClearErrorsAndSpareTheRealCluster() async throws {
        guard let lab = try await TestServers.lab(.redis, replicas: 0) else { return }
        defer { lab.stop() }
        for payload in Self.payloads {
            let fake = try await HostileNode.start(.reply(payload.bytes))
            defer { fake.stop() }
            let poller = ClusterPoller(seeds: [fake.address, lab.seed], options: TestServers.fastOptions)
            let (snapshot, _) = await poller.tick()
            await poller.shutdown()

            let bad = try #require(snapshot.nodes.first { $0.address == fake.address }, "\(payload.name): fake node missing")
            #expect(bad.health == .unreachable)
            let error = try #require(bad.error)
            #expect(error.localizedCaseInsensitiveContains(payload.expect), "\(payload.name): \(error)")
            #expect(!error.contains("\r") && !error.contains("\u{1B}"))
            let real = snapshot.nodes.filter { $0.address != fake.address }
            #expect(real.count == 3)
            #expect(real.allSatisfy { $0.health == .ok && $0.lastSeen != nil }, "\(payload.name) disturbed the real nodes")
        }
    }

    @Test func escapeSequencesFromANodeAreNeutralised() async throws {
        // A syntactically valid reply whose text carries terminal escapes and bogus topology.
        let text = "\u{1B}]0;pwned\u{07} \u{1B}[2J garbage line\n"
        let bytes = Array("$\(text.utf8.count)\r\n\(text)\r\n".utf8)
        let fake = try await HostileNode.start(.reply(bytes))
        defer { fake.stop() }
        let poller = ClusterPoller(seeds: [fake.address], options: TestServers.fastOptions)
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        let error = try #require(snapshot.nodes.first?.error)
        #expect(!error.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func silentNodeTimesOutWithoutDelayingOthers() async throws {
        guard let lab = try await TestServers.lab(.redis, replicas: 0) else { return }
        defer { lab.stop() }
        let fake = try await HostileNode.start(.silent)
        defer { fake.stop() }
        let poller = ClusterPoller(seeds: [lab.seed, fake.address], options: TestServers.fastOptions)
        let started = ContinuousClock.now
        let (snapshot, _) = await poller.tick()
        let elapsed = ContinuousClock.now - started
        await poller.shutdown()
        #expect(snapshot.nodes.first { $0.address == fake.address }?.error?.contains("no reply within 500 ms") == true)
        #expect(snapshot.nodes.filter { $0.health == .ok }.count == 3)
        // Bounded by the one deadline (connect handshake + poll), not by the hung node's silence.
        #expect(elapsed < .seconds(3))
    }

    /// Many elements, each under every per-element cap, still cannot grow one reply past maxReplyBytes.
    @Test func aReplyPastTheTotalCapIsRefusedWhileArriving() async throws {
        let endless = Array("*1000000\r\n".utf8) + Array(repeating: Array("$1\r\nx\r\n".utf8), count: 30_000).flatMap { $0 }
        let fake = try await HostileNode.start(.reply(endless))
        defer { fake.stop() }
        var options = TestServers.fastOptions
        options.limits.maxReplyBytes = 64 * 1024
        let client = NodeClient(address: fake.address, options: options)
        defer { Task { await client.close() } }
        do {
            _ = try await client.send([["PING"]])
            Issue.record("a 210 KB reply passed a 64 KiB cap")
        } catch {
            #expect("\(error)".contains("a reply larger than 64 KiB"), "\(error)")
        }
    }

    @Test func connectionSurvivesNothingButReportsEveryRequest() async throws {
        let fake = try await HostileNode.start(.reply(Array("$9223372036854775807\r\n".utf8)))
        defer { fake.stop() }
        let client = NodeClient(address: fake.address, options: TestServers.fastOptions)
        for _ in 0..<3 {
            await #expect(throws: RedisClientError.self) { try await client.send([["PING"]]) }
        }
        await client.close()
    }
}

/// A node whose replies are well-formed but whose text is hostile: escapes in its hostname,
/// version and cluster_state. What the CLI prints (table, JSON, check) holds none of them raw.
@Suite struct HostileTextTests {
    static let escapes = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{7F}"

    static func answer(_ command: [String], port: Int) -> [UInt8] {
        let id = "6b962a110a5c07a3c0d43298b222b8805bfcf8f3"
        let nodes = "\(id) 127.0.0.1:\(port)@\(port % 10_000 + 1),host\(escapes) myself,master - 0 0 1 connected 0-16383\n"
        let info = "redis_version:7.0\(escapes)\r\nrole:master\r\n"
        let clusterInfo = "cluster_state:ok\(escapes)\r\ncluster_known_nodes:1\r\n"
        let reply: String
        switch command.first?.uppercased() {
        case "CLUSTER" where command.count > 1 && command[1].uppercased() == "NODES": reply = nodes
        case "CLUSTER": reply = clusterInfo
        case "INFO": reply = info
        default: return Array("+OK\r\n".utf8)
        }
        return Array("$\(reply.utf8.count)\r\n\(reply)\r\n".utf8)
    }

    /// Any C0 control but the line breaks, DEL, or any C1 control.
    static func rawControls(_ text: String) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || (0x7F..<0xA0).contains($0) }
    }

    @Test func snapshotTableJSONAndCheckPrintServerTextEscaped() async throws {
        let fake = try await HostileNode.start(.script { command, port in Self.answer(command, port: port) })
        defer { fake.stop() }
        let seed = "\(fake.address)"

        let table = try await CLI.run(["snapshot", seed])
        #expect(table.status == 0, "\(table.errorOutput)")
        #expect(Self.rawControls(table.output).isEmpty, "\(table.output.debugDescription)")
        #expect(table.output.contains("redis 7.0\\x1B]0;pwned\\x07\\x1B[2J\\x9B31m\\x7F"))
        #expect(table.output.hasPrefix("cluster ok\\x1B"))

        let json = try await CLI.run(["snapshot", seed, "--json"])
        #expect(json.status == 0, "\(json.errorOutput)")
        #expect(Self.rawControls(json.output).isEmpty, "\(json.output.debugDescription)")
        // Escaped, not altered: a JSON reader gets the server's text back exactly.
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let node = try #require((document["nodes"] as? [[String: Any]])?.first)
        #expect(node["hostname"] as? String == "host" + Self.escapes)
        #expect(node["version"] as? String == "7.0" + Self.escapes)
        #expect(document["state"] as? String == "ok" + Self.escapes)

        for arguments in [["check", seed], ["check", seed, "--json"]] {
            let check = try await CLI.run(arguments)
            #expect(Self.rawControls(check.output + check.errorOutput).isEmpty, "\(arguments): \(check.output.debugDescription)")
        }
    }
}
