import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// AUTH with an ACL user, from the environment; a wrong password is a clear error, never echoed.
@Suite(.serialized, .oneClusterAtATime) struct AuthTests {
    @Test(arguments: Engine.allCases)
    func aclUserFromEnvironmentWorksAndWrongPasswordIsClear(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine, replicas: 0) else { return }
        defer { lab.stop() }
        let secret = "s3cret-\(UInt32.random(in: 0...UInt32.max))"
        for node in lab.nodes {
            let connection = try await RedisConnection.connect(to: node.address, options: TestServers.fastOptions)
            defer { connection.close() }
            let reply = try await connection.send([["ACL", "SETUSER", "dash", "on", ">\(secret)", "+@all", "~*"]])
            #expect(reply.first == .simpleString("OK"))
        }

        var good = TestServers.fastOptions
        good.user = "dash"
        good.password = secret
        let poller = ClusterPoller(seeds: [lab.seed], options: good)
        let (snapshot, _) = await poller.tick()
        await poller.shutdown()
        #expect(snapshot.nodes.count == 3)
        #expect(snapshot.nodes.allSatisfy { $0.health == .ok })

        var bad = good
        bad.password = "wrong-\(secret)"
        let badPoller = ClusterPoller(seeds: [lab.seed], options: bad)
        let (refused, _) = await badPoller.tick()
        await badPoller.shutdown()
        let error = try #require(refused.nodes.first?.error)
        #expect(error.hasPrefix("authentication failed for user dash on node "), "\(error)")
        #expect(!error.contains(secret))

        let viaCLI = try await CLI.run(["check", "redis://dash@\(lab.seed)"], environment: ["SHARDTOP_PASSWORD": secret])
        #expect(viaCLI.status == 0, "\(viaCLI.output)\(viaCLI.errorOutput)")
        #expect(!viaCLI.output.contains(secret) && !viaCLI.errorOutput.contains(secret))

        let passwordFile = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-pw-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: passwordFile.path, contents: Data("wrong\n".utf8), attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        let wrong = try await CLI.run(["check", "\(lab.seed)", "--user", "dash", "--password-file", passwordFile.path])
        #expect(wrong.status == 2)
        #expect(wrong.errorOutput.contains("authentication failed"), "\(wrong.errorOutput)")
        #expect(wrong.errorOutput.split(separator: "\n").count == 1)
    }
}
