import Testing
import ShardtopCore
@testable import ShardtopRedis

@Suite struct ServerIdentityUnitTests {
    /// A steady poll's INFO has no server section: the report gets the name and version read on
    /// the connection's first poll, and the uptime advanced by the seconds since.
    @Test func completesAnInfoReadWithoutTheServerSection() {
        var first = ServerInfo(serverName: "valkey", version: "9.1.2")
        first.uptimeSeconds = 100
        let identity = ServerIdentity(first, readAt: 1_000, connection: 1)
        var steady = ServerInfo()
        steady.usedMemory = 42
        let completed = identity.completing(steady, now: 1_030.7)
        #expect(completed.serverName == "valkey")
        #expect(completed.version == "9.1.2")
        #expect(completed.uptimeSeconds == 130)
        #expect(completed.usedMemory == 42)
        // A clock that went back does not make the uptime shrink below what was read.
        #expect(identity.completing(steady, now: 990).uptimeSeconds == 100)
    }

    @Test func theSteadyBatchLeavesOnlyTheServerSectionOut() {
        let steady = NodePoll.steady(NodePoll.commands + [NodePoll.saveRulesCommand])
        #expect(steady.count == NodePoll.commands.count + 1)
        #expect(steady[2] == ["INFO"] + NodePoll.infoSections.filter { $0 != "server" })
        #expect(steady[0] == ["CLUSTER", "NODES"] && steady[1] == ["CLUSTER", "INFO"] && steady[3] == NodePoll.saveRulesCommand)
    }
}
