import Glibc
import ShardtopCore
import ShardtopRedis

/// `shardtop snapshot|check [--json] HOST:PORT`, run without swift-argument-parser.
///
/// Parsing a command line with swift-argument-parser costs a cold process 3.5-4 ms of CPU (it
/// reflects every option of the command and its groups, each first lookup walking the binary's
/// 8,600 protocol-conformance records, and parses the line twice more for its completion-script
/// check) out of a cold `snapshot`'s 18; on two cores shared with the cluster's servers, that CPU
/// is wall time (issue 12). A script that polls with `snapshot --json HOST:PORT` every few seconds
/// pays it each time. This is the one line shape where the parse's outcome is known without
/// parsing: one operand that is a plaintext seed with no user, `--json` at most once, and no
/// password in the environment, which resolves to the defaults of every option (`ConnectionOptions()`,
/// `LagThresholds.default`, the capacity and persistence defaults) and runs the same function the
/// parsed command runs. Anything else (an option, a second seed, `--help`, a typo, a TLS or
/// user seed, a password to send) is not this shape and goes to the parser, which stays the one
/// place that decides what a line means. `PlainCommandLineTests` parses each shape with the real
/// parser and checks it resolves to exactly this.
public struct PlainCommandLine: Equatable, Sendable {
    public enum Command: String, Sendable {
        case snapshot, check
    }

    public let command: Command
    public let seed: NodeAddress
    public let json: Bool

    /// The line's meaning when it has the shape (`arguments` after the program's name), else nil.
    public init?(arguments: [String], environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) {
        guard let first = arguments.first, let command = Command(rawValue: first) else { return nil }
        let rest = arguments.dropFirst()
        let operands = rest.filter { $0 != "--json" }
        // One seed, and at most one --json (a flag given twice is the parser's to refuse).
        guard operands.count == 1, rest.count - operands.count <= 1, let text = operands.first, !text.hasPrefix("-") else { return nil }
        // A password in the environment means AUTH, which only the parser's path resolves.
        for name in ConnectionOptions.passwordEnvironmentVariables where !(environment(name) ?? "").isEmpty { return nil }
        guard let seed = try? Seed.parse(text), !seed.tls, seed.user == nil, seed.inlinePassword == nil else { return nil }
        self.command = command
        self.seed = seed.address
        self.json = rest.count > operands.count
    }

    /// What the parsed `snapshot` or `check` command runs for this line.
    public func run() async throws {
        switch command {
        case .snapshot: try await HeadlessSnapshot.run(seeds: [seed], options: ConnectionOptions(), lag: .default, json: json)
        case .check: try await HeadlessCheck.run(seeds: [seed], options: ConnectionOptions(), lag: .default, json: json)
        }
    }
}
