import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopProcess

/// The headless commands as a script sees them: output, JSON field names, exit codes.
@Suite(.serialized, .oneClusterAtATime) struct CLITests {
    @Test func badSeedIsOneLineAndExitTwo() async throws {
        let result = try await CLI.run(["check", "not-an-address"])
        #expect(result.status == 2)
        #expect(result.errorOutput.split(separator: "\n").count == 1, "\(result.errorOutput)")
        #expect(result.errorOutput.contains("not a node address"))
    }

    @Test func unreachableSeedIsOneLineAndExitTwo() async throws {
        let port = try FreePort.pick(count: 1)[0]
        let result = try await CLI.run(["check", "127.0.0.1:\(port)", "--connect-timeout", "300"])
        #expect(result.status == 2)
        #expect(result.errorOutput.hasPrefix("shardtop: no node answered: 127.0.0.1:\(port): cannot connect"), "\(result.errorOutput)")
        #expect(result.errorOutput.split(separator: "\n").count == 1)
    }

    @Test func passwordOnTheCommandLineIsNotNeeded() async throws {
        let help = try await CLI.run(["snapshot", "--help"])
        #expect(help.status == 0)
        #expect(!help.output.contains("--password "))
        #expect(help.output.contains("--password-file"))
    }

    @Test(arguments: Engine.allCases)
    func snapshotJSONHasTheContractFieldsAndCheckPasses(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let result = try await CLI.run(["snapshot", "\(lab.seed)", "--json"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        for key in ["state", "slotsCovered", "nodes", "openSlots", "findings"] { #expect(json[key] != nil, "missing \(key)") }
        #expect(json["state"] as? String == "ok")
        #expect(json["slotsCovered"] as? Int == 16384)
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        #expect(nodes.count == 6)
        let fields = ["id", "address", "hostname", "role", "primaryId", "health", "slots", "replicationOffset", "lagBytes",
                      "lagSeconds", "opsPerSec", "usedMemory", "keys", "server", "version"]
        for node in nodes {
            for field in fields { #expect(node.keys.contains(field), "node lacks \(field)") }
            #expect(node["server"] as? String == engine.rawValue)
            if node["role"] as? String == "primary" {
                #expect(node["primaryId"] is NSNull)
                #expect((node["slots"] as? [[Int]])?.count == 1)
            } else {
                #expect(node["role"] as? String == "replica")
                #expect(node["primaryId"] is String)
            }
        }
        let findings = try #require(json["findings"] as? [[String: Any]])
        for finding in findings {
            for field in ["severity", "code", "message", "nodes"] { #expect(finding[field] != nil) }
        }

        let check = try await CLI.run(["check", "\(lab.seed)"])
        #expect(check.status == 0, "\(check.output)\(check.errorOutput)")
        #expect(check.output.contains("OK: 0 warnings"))

        // `watch` on the same cluster (one event loop, as the dashboard): a status line a tick,
        // every node answering, until it is stopped.
        let watched = try await CLI.run(["watch", "\(lab.seed)", "--interval", "0.2", "--status"], timeoutSeconds: 3)
        let statusLines = watched.output.split(separator: "\n").filter { $0.contains("status  ok, 6/6 nodes answering, 16384 slots covered") }
        #expect(statusLines.count >= 3, "\(watched.output)\(watched.errorOutput)")

        let table = try await CLI.run(["snapshot", "\(lab.seed)"])
        #expect(table.status == 0)
        #expect(table.output.hasPrefix("cluster ok  slots 16384/16384  nodes 6 (6 ok)"))

        // A reader that goes away first (`| head`) ends it quietly with SIGPIPE's status (141), not
        // a trap with a stack trace. `true` exits long before the snapshot has polled six nodes.
        let piped = try await CLI.run(["-c", "\"$0\" snapshot \"$1\" --json | true; exit ${PIPESTATUS[0]}", CLI.binaryPath, "\(lab.seed)"],
                                      program: "/bin/bash")
        #expect(piped.status == 141, "\(piped.errorOutput)")
        #expect(piped.errorOutput.isEmpty, "\(piped.errorOutput)")
    }
}
