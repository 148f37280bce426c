import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
@testable import ShardtopApp

/// A cold `snapshot HOST:PORT` polls while its arguments are parsed (issue 12). Only a command line
/// whose parse is known in advance speculates, and the poll is used only when the parsed command
/// asks for exactly that seed with the options the speculation used.
@Suite(.serialized, .oneClusterAtATime) struct SpeculativeSnapshotTests {
    private static func seed(_ arguments: [String], environment: [String: String] = [:]) -> NodeAddress? {
        SpeculativeSnapshot.seed(arguments: ["shardtop"] + arguments, environment: { environment[$0] })
    }

    @Test func onlyAPlainSnapshotLineSpeculates() {
        let address = NodeAddress(host: "127.0.0.1", port: 7000)
        #expect(Self.seed(["snapshot", "127.0.0.1:7000"]) == address)
        #expect(Self.seed(["snapshot", "--json", "127.0.0.1:7000"]) == address)
        #expect(Self.seed(["snapshot", "127.0.0.1:7000", "--json"]) == address)
        #expect(Self.seed(["snapshot", "redis://127.0.0.1:7000"]) == address)
        #expect(Self.seed(["snapshot", "127.0.0.1:7000"], environment: ["SHARDTOP_PASSWORD": ""]) == address)
        #expect(Self.seed(["check", "127.0.0.1:7000"]) == address)
        #expect(Self.seed(["check", "--json", "127.0.0.1:7000"]) == address)

        // Anything that changes the options, or that the parser would refuse or answer with help.
        #expect(Self.seed(["snapshot", "127.0.0.1:7000"], environment: ["SHARDTOP_PASSWORD": "secret"]) == nil)
        #expect(Self.seed(["snapshot", "127.0.0.1:7000"], environment: ["REDISCLI_AUTH": "secret"]) == nil)
        #expect(Self.seed(["snapshot", "rediss://127.0.0.1:7000"]) == nil)
        #expect(Self.seed(["snapshot", "redis://ops@127.0.0.1:7000"]) == nil)
        #expect(Self.seed(["snapshot", "redis://ops:secret@127.0.0.1:7000"]) == nil)
        #expect(Self.seed(["snapshot", "127.0.0.1:7000", "--timeout", "50"]) == nil)
        #expect(Self.seed(["snapshot", "127.0.0.1:7000", "127.0.0.1:7001"]) == nil)
        #expect(Self.seed(["snapshot", "--json", "--json", "127.0.0.1:7000"]) == nil)
        #expect(Self.seed(["snapshot", "--help"]) == nil)
        #expect(Self.seed(["snapshot"]) == nil)
        #expect(Self.seed(["snapshot", "not-an-address"]) == nil)
        #expect(Self.seed(["check", "127.0.0.1:7000", "--sample", "5"]) == nil)
        #expect(Self.seed(["migrate", "--to", "127.0.0.1:7000"]) == nil)
        #expect(Self.seed(["127.0.0.1:7000"]) == nil)
    }

    @Test func thePollIsTakenOnlyForItsSeedAndOptions() async throws {
        guard let lab = try await TestServers.lab(.redis) else { return }
        defer { lab.stop() }
        let arguments = ["shardtop", "snapshot", lab.seed.description, "--json"]

        // Other options (here a longer deadline): not taken, the command polls for itself.
        #expect(SpeculativeSnapshot.start(arguments: arguments))
        var longer = ConnectionOptions()
        longer.requestTimeout = .seconds(5)
        #expect(await SpeculativeSnapshot.take(seeds: [lab.seed], options: longer) == nil)

        // Another seed: not taken either.
        #expect(SpeculativeSnapshot.start(arguments: arguments))
        #expect(await SpeculativeSnapshot.take(seeds: [NodeAddress(host: "127.0.0.1", port: 1)], options: ConnectionOptions()) == nil)

        // The same: the whole cluster, once.
        #expect(SpeculativeSnapshot.start(arguments: arguments))
        let taken = try #require(await SpeculativeSnapshot.take(seeds: [lab.seed], options: ConnectionOptions()))
        await taken.0.shutdown()
        #expect(taken.1.nodes.count == lab.nodes.count)
        #expect(taken.1.nodes.allSatisfy { $0.error == nil })
        #expect(await SpeculativeSnapshot.take(seeds: [lab.seed], options: ConnectionOptions()) == nil)
    }
}
