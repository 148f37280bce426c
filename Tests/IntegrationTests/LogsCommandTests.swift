import Foundation
import Testing
import ShardtopCore
import ShardtopRedis

/// `shardtop logs` against real clusters: the lab's nodes log to files on this host, so the
/// file source is chosen; a node started with an empty logfile falls back with the reason.
@Suite(.serialized) struct LogsCommandTests {
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
}
