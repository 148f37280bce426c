import Foundation
import ShardtopCore
import ShardtopRedis
import Synchronization

/// A cold `shardtop snapshot HOST:PORT` (or `check HOST:PORT`) polls the cluster while its
/// arguments are still being parsed.
///
/// Argument parsing keeps one core busy for about 4 ms of a cold snapshot's 18 (the runtime's first
/// type lookups for every option), while the poll's round trips and the servers' work could use the
/// other (issue 12: 1-1.5 ms off a cold snapshot, measured in alternation; both compete for two
/// cores, so the overlap is partial). For the command lines whose outcome is known before parsing,
/// `snapshot|check [--json] HOST:PORT` with no
/// password in the environment, the poll starts at once with the options that line must resolve
/// to (plaintext, the default user, the default deadlines). The parsed command then asks `take`
/// for it with the options it did resolve, and gets it only when they are those options and that
/// seed; otherwise the speculative poll is shut down and the command polls as it always did.
///
/// Nothing is sent that the command would not send: the same connections, the same read-only
/// requests, to the seed the operator typed and the nodes it names. A line that would not parse
/// (a typo, `--help`) never has this shape, so it contacts nothing.
public enum SpeculativeSnapshot {
    private struct Started: Sendable {
        let seed: NodeAddress
        let poll: Task<(ClusterPoller, ClusterSnapshot), Never>
    }

    private static let started = Mutex<Started?>(nil)

    /// The seed of a command line of exactly that shape (after the program's name), else nil.
    static func seed(arguments: [String], environment: (String) -> String?) -> NodeAddress? {
        let rest = Array(arguments.dropFirst())
        // Both take one poll of the seed's cluster first (`check` then lets gossip settle on it).
        guard rest.first == "snapshot" || rest.first == "check" else { return nil }
        let operands = rest.dropFirst().filter { $0 != "--json" }
        // One seed, and at most one --json (a flag given twice is the parser's to refuse).
        guard operands.count == 1, rest.count - 1 - operands.count <= 1, let text = operands.first, !text.hasPrefix("-") else { return nil }
        // A password in the environment means AUTH, which the speculative options lack.
        for name in ConnectionOptions.passwordEnvironmentVariables where !(environment(name) ?? "").isEmpty { return nil }
        guard let seed = try? Seed.parse(text), !seed.tls, seed.user == nil, seed.inlinePassword == nil else { return nil }
        return seed.address
    }

    /// Starts the poll when the command line has the shape; true when it did.
    @discardableResult
    public static func start(arguments: [String] = CommandLine.arguments) -> Bool {
        guard let seed = seed(arguments: arguments, environment: { getenv($0).map { String(cString: $0) } }) else { return false }
        let poll = Task.detached(priority: .high) {
            PhaseLog.mark("speculating")
            let poller = ClusterPoller(seeds: [seed], options: ConnectionOptions(), lagThresholds: .default)
            let (snapshot, _) = await poller.tick()
            PhaseLog.mark("speculated")
            return (poller, snapshot)
        }
        started.withLock { $0 = Started(seed: seed, poll: poll) }
        return true
    }

    /// The speculative poll's poller and first snapshot, when it polled `seeds` with `options`.
    /// Any other request shuts the speculation down and returns nil. Taken at most once.
    public static func take(seeds: [NodeAddress], options: ConnectionOptions) async -> (ClusterPoller, ClusterSnapshot)? {
        guard let speculation = started.withLock({ value -> Started? in defer { value = nil }; return value }) else { return nil }
        let (poller, snapshot) = await speculation.poll.value
        guard seeds == [speculation.seed], options.isPlainDefault else {
            await poller.shutdown()
            return nil
        }
        return (poller, snapshot)
    }
}

extension ConnectionOptions {
    /// What `ConnectionOptions()` is: plaintext RESP2, the default user, 1 s deadlines.
    var isPlainDefault: Bool {
        let plain = ConnectionOptions()
        return tls == nil && user == nil && password == nil && protocolVersion == plain.protocolVersion
            && connectTimeout == plain.connectTimeout && requestTimeout == plain.requestTimeout
            && limits == plain.limits && clientName == plain.clientName
    }
}
