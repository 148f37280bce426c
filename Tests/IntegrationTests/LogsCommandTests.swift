import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// `shardtop logs` against real clusters: the lab's nodes log to files on this host, so the
/// file source is chosen; a node started with an empty logfile falls back with the reason.
@Suite(.serialized, .oneClusterAtATime) struct LogsCommandTests {
    @Test(arguments: Engine.allCases)
    func printsGrepsAndFallsBack(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1) else { return }
        defer { lab.stop() }
        let node = lab.nodes[0].address.description

        let tail = try await CLI.run(["logs", node, "--lines", "20"])
        #expect(tail.status == 0, "\(tail.errorOutput)")
        let printed = tail.output.split(separator: "\n")
        #expect(printed.count == 20)
        #expect(printed.contains { $0.contains(" notice ") })
        #expect(!tail.output.contains("\u{1b}["))  // no TTY: plain text

        let grep = try await CLI.run(["logs", node, "--lines", "500", "--grep", "cluster state changed"])
        #expect(grep.status == 0)
        let matches = grep.output.split(separator: "\n")
        #expect(!matches.isEmpty)
        #expect(matches.allSatisfy { $0.lowercased().contains("cluster state changed") })

        let byId = try await CLI.run(["logs", String(lab.nodes[0].id.prefix(10)), node, "--lines", "3"])
        #expect(byId.status == 0, "\(byId.errorOutput)")
        #expect(byId.output.split(separator: "\n").count == 3)

        let unreachable = try await CLI.run(["logs", "127.0.0.1:1", "--connect-timeout", "200"])
        #expect(unreachable.status == 2)
        #expect(unreachable.errorOutput.hasPrefix("shardtop: cannot reach 127.0.0.1:1"))
    }

    @Test(arguments: Engine.allCases)
    func stdoutLoggingNodeFallsBackWithTheReason(engine: Engine) async throws {
        guard let path = TestServers.binary(engine) else { return }
        let lab = try await LabCluster.start(LabCluster.Options(
            serverPath: path, primaries: 3, replicasPerPrimary: 0, nodeTimeoutMillis: 2000, extraArguments: ["--logfile", ""]))
        defer { lab.stop() }
        let node = lab.nodes[0].address
        let client = NodeClient(address: node, options: TestServers.fastOptions)
        _ = try await client.send([["CONFIG", "SET", "slowlog-log-slower-than", "0"]])
        if engine == .valkey { _ = try await client.send([["CONFIG", "SET", "commandlog-execution-slower-than", "0"]]) }
        _ = try await client.send([["ECHO", "fallback-marker"]])
        await client.close()

        let result = try await CLI.run(["logs", node.description, "--lines", "10"])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.contains("log not shown: logfile is empty: the node logs to stdout"))
        // Valkey has COMMANDLOG (detected with COMMAND INFO); Redis 7.0 does not.
        #expect(result.output.contains(engine == .valkey ? "commandlog slow #" : "slowlog #"))
        #expect(result.output.contains("ECHO fallback-marker"))
        #expect(result.output.hasPrefix(" "))  // the reason comes first (it has no time)
    }

    /// `kubectl logs -f {pod}`-style templates on real nodes: the pod name comes from the config's
    /// `pods:` map, else from the hostname the node announces; a node with neither falls back and
    /// says what is missing. (A tail of a file named after the pod stands in for kubectl.)
    @Test(arguments: Engine.allCases)
    func podTemplateUsesTheAnnouncedHostnameOrTheConfigMap(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 0) else { return }
        defer { lab.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-pods-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: "\(directory)/shardtop", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let nodes = lab.nodes.map(\.address).sorted()
        for pod in ["redis-0", "mapped-1"] {
            try "4242:M 22 Nov 2026 10:00:01.000 * line of \(pod)\n".write(toFile: "\(directory)/\(pod).log", atomically: true, encoding: .utf8)
        }
        let client = NodeClient(address: nodes[0], options: TestServers.fastOptions)
        let set = try await client.send([["CONFIG", "SET", "cluster-announce-hostname", "redis-0.lab-headless.test.svc"]])
        await client.close()
        #expect(set == [.simpleString("OK")], "\(set)")
        try """
        clusters:
          k8s:
            seeds: ["\(lab.seed)"]
            log-command: tail -n 1 \(directory)/{pod}.log
            pods:
              "\(nodes[1])": mapped-1
        """.write(toFile: "\(directory)/shardtop/config.yaml", atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": directory]

        let announced = try await CLI.run(["logs", nodes[0].description, "--context", "k8s", "--lines", "1"], environment: environment)
        #expect(announced.status == 0, "\(announced.errorOutput)")
        #expect(announced.output.contains("line of redis-0"), "\(announced.output)")
        let mapped = try await CLI.run(["logs", nodes[1].description, "--context", "k8s", "--lines", "1"], environment: environment)
        #expect(mapped.output.contains("line of mapped-1"), "\(mapped.output) \(mapped.errorOutput)")
        let unknown = try await CLI.run(["logs", nodes[2].description, "--context", "k8s", "--lines", "5"], environment: environment)
        #expect(unknown.status == 0, "\(unknown.errorOutput)")
        #expect(unknown.output.contains("log not shown: log-command uses {pod}, but no pod name is known for \(nodes[2])"), "\(unknown.output)")

        // The announced hostname is part of the snapshot too.
        let snapshot = try await CLI.run(["snapshot", "--json", "\(lab.seed)"])
        #expect(snapshot.output.contains("\"hostname\" : \"redis-0.lab-headless.test.svc\""), "\(snapshot.output.prefix(400))")
    }
}
