import Foundation
import Testing
import ShardtopCore

/// Real log files captured from redis-server 7.0.15 and valkey-server 9.1.2 lab clusters
/// (3 primaries, 1 replica each) during a CLUSTER FAILOVER and a SIGSTOPped primary; see
/// Fixtures/ for the excerpts.
enum LogFixtures {
    static func lines(_ name: String) throws -> [String] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "log", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    static func parsed(_ name: String) throws -> [LogLine] {
        let parser = LogLineParser()
        return try lines(name).map(parser.parse)
    }

    static func events(_ name: String) throws -> [LogEventKind] {
        try parsed(name).compactMap(\.event)
    }
}
