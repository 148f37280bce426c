import Testing
import ShardtopCore
import ShardtopRedis
import ShardtopApp
@testable import shardtop

/// `snapshot|check [--json] HOST:PORT` runs without the argument parser (issue 12). It may only
/// take lines whose meaning the parser would give the same way: each shape is parsed here by the
/// real parser and resolved, and must come to the same command, seed and default options.
@Suite struct PlainCommandLineTests {
    private static func plain(_ arguments: [String], environment: [String: String] = [:]) -> PlainCommandLine? {
        PlainCommandLine(arguments: arguments, environment: { environment[$0] })
    }

    static let shapes: [[String]] = [
        ["snapshot", "127.0.0.1:7000"],
        ["snapshot", "--json", "127.0.0.1:7000"],
        ["snapshot", "127.0.0.1:7000", "--json"],
        ["snapshot", "redis://127.0.0.1:7000"],
        ["snapshot", "localhost:6379"],
        ["check", "127.0.0.1:7000"],
        ["check", "--json", "127.0.0.1:7000"],
        ["check", "[::1]:7000", "--json"],
    ]

    @Test(arguments: shapes)
    func theParserReadsEachShapeTheSameWay(line: [String]) throws {
        let plain = try #require(Self.plain(line))
        let parsed = try Shardtop.parseAsRoot(line)
        let connection: ConnectionArguments
        let thresholds: CapacityArguments
        let json: Bool
        switch parsed {
        case let command as SnapshotCommand:
            #expect(plain.command == .snapshot)
            (connection, thresholds, json) = (command.connection, command.thresholds, command.json)
        case let command as CheckCommand:
            #expect(plain.command == .check)
            #expect(command.sample == 0)
            (connection, thresholds, json) = (command.connection, command.thresholds, command.json)
        default:
            Issue.record("\(line) parsed as \(type(of: parsed))")
            return
        }
        #expect(json == plain.json)
        let (seeds, options) = try connection.resolve(environment: [:])
        #expect(seeds == [plain.seed])
        // What `run` passes: ConnectionOptions(), the default lag, capacity and persistence thresholds.
        let defaults = ConnectionOptions()
        #expect(options.tls == nil && options.user == nil && options.password == nil)
        #expect(options.protocolVersion == defaults.protocolVersion && options.clientName == defaults.clientName)
        #expect(options.connectTimeout == defaults.connectTimeout && options.requestTimeout == defaults.requestTimeout)
        #expect(options.limits == defaults.limits)
        #expect(connection.lagThresholds == .default)
        #expect(thresholds.capacity == .default && thresholds.persistence == .default)
    }

    @Test func anythingElseGoesToTheParser() {
        // An empty password variable is no password, as for the parser's path.
        #expect(Self.plain(["snapshot", "127.0.0.1:7000"], environment: ["SHARDTOP_PASSWORD": ""]) != nil)
        // Anything that changes the options, or that the parser would refuse or answer with help.
        #expect(Self.plain(["snapshot", "127.0.0.1:7000"], environment: ["SHARDTOP_PASSWORD": "secret"]) == nil)
        #expect(Self.plain(["snapshot", "127.0.0.1:7000"], environment: ["REDISCLI_AUTH": "secret"]) == nil)
        #expect(Self.plain(["snapshot", "rediss://127.0.0.1:7000"]) == nil)
        #expect(Self.plain(["snapshot", "redis://ops@127.0.0.1:7000"]) == nil)
        #expect(Self.plain(["snapshot", "redis://ops:secret@127.0.0.1:7000"]) == nil)
        #expect(Self.plain(["snapshot", "127.0.0.1:7000", "--timeout", "50"]) == nil)
        #expect(Self.plain(["snapshot", "127.0.0.1:7000", "127.0.0.1:7001"]) == nil)
        #expect(Self.plain(["snapshot", "--json", "--json", "127.0.0.1:7000"]) == nil)
        #expect(Self.plain(["snapshot", "--json=true", "127.0.0.1:7000"]) == nil)
        #expect(Self.plain(["snapshot", "--", "127.0.0.1:7000"]) == nil)
        #expect(Self.plain(["snapshot", "--help"]) == nil)
        #expect(Self.plain(["snapshot", "127.0.0.1:7000", "-h"]) == nil)
        #expect(Self.plain(["snapshot"]) == nil)
        #expect(Self.plain(["snapshot", "not-an-address"]) == nil)
        #expect(Self.plain(["snapshot", "127.0.0.1:99999"]) == nil)
        #expect(Self.plain(["check", "127.0.0.1:7000", "--sample", "5"]) == nil)
        #expect(Self.plain(["watch", "127.0.0.1:7000"]) == nil)
        #expect(Self.plain(["127.0.0.1:7000"]) == nil)
        #expect(Self.plain([]) == nil)
    }
}
