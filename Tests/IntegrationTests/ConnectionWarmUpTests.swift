import Testing
@testable import ShardtopApp

@Suite struct ConnectionWarmUpTests {
    /// Only a one-shot command named first warms up: never the dashboard (a bare seed, or no
    /// argument), the lab or watch, whose event loop count is set before their first connection.
    @Test func onlyTheNamedOneShotCommandsWarmUp() {
        let names = ["snapshot", "check", "migrate"]
        #expect(ConnectionWarmUp.wanted(arguments: ["shardtop", "snapshot", "127.0.0.1:7000"], names: names))
        #expect(ConnectionWarmUp.wanted(arguments: ["shardtop", "migrate", "--slots", "0-9"], names: names))
        #expect(!ConnectionWarmUp.wanted(arguments: ["shardtop"], names: names))
        #expect(!ConnectionWarmUp.wanted(arguments: ["shardtop", "127.0.0.1:7000"], names: names))
        #expect(!ConnectionWarmUp.wanted(arguments: ["shardtop", "lab"], names: names))
        #expect(!ConnectionWarmUp.wanted(arguments: ["shardtop", "--help", "snapshot"], names: names))
    }
}
