import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// One pair failed over and back repeatedly with short gaps, through the real command. Once a
/// reported success rested on one snapshot: "promoted" and exit 0 for a node that was a replica
/// again 0.3 s later. Whatever `failover` reports as done must still be true a moment later.
@Suite(.serialized, .oneClusterAtATime) struct FailoverPingPongTests {
    @Test(arguments: Engine.allCases)
    func aReportedPromotionHolds(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1) else { return }
        defer { lab.stop() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-pingpong-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let pair = [lab.nodes[0].address, lab.nodes[3].address]
        let options = TestServers.fastOptions(lab)
        var connections: [NodeAddress: RedisConnection] = [:]
        for address in pair { connections[address] = try await RedisConnection.connect(to: address, options: options) }
        defer { for connection in connections.values { connection.close() } }
        func role(_ address: NodeAddress) async -> String? {
            try? await connections[address]?.send([["ROLE"]]).first?.array?.first?.string
        }
        // The replica of the pair must be in sync before the first round.
        for _ in 0..<50 {
            if await role(pair[1]) == "slave" { break }
            try await Task.sleep(for: .milliseconds(100))
        }

        var promoted = 0
        var reports: [String] = []
        for round in 0..<6 {
            // Whichever of the two is a replica now is the one to promote.
            var candidate: NodeAddress?
            for _ in 0..<30 {
                let first = await role(pair[0])
                let second = await role(pair[1])
                candidate = first == "slave" ? pair[0] : second == "slave" ? pair[1] : nil
                if candidate != nil { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let target = try #require(candidate, "round \(round): neither node of the pair is a replica")
            let run = try await CLI.run(["failover", "\(target)", "--yes", "--timeout", "500", "--wait-seconds", "8",
                                         "--journal", "\(state)/actions.jsonl"], timeoutSeconds: 40)
            reports.append("round \(round) \(target): exit \(run.status) \(run.output.split(separator: "\n").last ?? "") \(run.errorOutput)")
            if run.status == 0 {
                promoted += 1
                #expect(run.output.contains("promoted: \(target) is now primary"), "\(run.output)")
                // A moment later, and for a second after that, it must still be the primary.
                for sample in 0..<6 {
                    let now = await role(target)
                    #expect(now == "master", "round \(round): \(target) reported promoted, but ROLE says \(now ?? "nothing") \(sample * 200) ms later")
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        print("[\(engine)] ping-pong: \(promoted) of 6 promoted\n  " + reports.joined(separator: "\n  "))
        #expect(promoted >= 1, "no round completed: \(reports)")
    }
}
