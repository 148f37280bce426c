import ArgumentParser
import Foundation
import NIOCore
import ShardtopConfig
import ShardtopCore
import ShardtopRedis

/// Options shared by every command that talks to a cluster.
struct ConnectionArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("One or more nodes to start discovery from.", valueName: "host:port | redis://[user@]host:port"))
    var seeds: [String] = []

    @Option(help: "ACL user name (default: the default user, or the user in a redis:// seed).")
    var user: String?

    @Option(help: ArgumentHelp("Read the password from this file (first line). Otherwise SHARDTOP_PASSWORD or REDISCLI_AUTH.", valueName: "path"))
    var passwordFile: String?

    @Option(help: ArgumentHelp("Per-request deadline in milliseconds; a node that misses it is shown unreachable.", valueName: "ms"))
    var timeout: Int = 1000

    @Option(help: ArgumentHelp("Connect timeout in milliseconds.", valueName: "ms"))
    var connectTimeout: Int = 1000

    @Flag(help: "Speak RESP3 (HELLO 3) instead of RESP2.")
    var resp3 = false

    @Option(help: ArgumentHelp("Replica lag in bytes past which a replica counts as lagging.", valueName: "bytes"))
    var lagBytes: Int64 = LagThresholds.default.bytes

    @Option(help: ArgumentHelp("Replica lag in seconds past which a replica counts as lagging.", valueName: "s"))
    var lagSeconds: Int = LagThresholds.default.seconds

    @Option(help: ArgumentHelp("A named cluster from $XDG_CONFIG_HOME/shardtop/config.yaml; its seeds, user and password file apply unless given here.", valueName: "name"))
    var context: String?

    var lagThresholds: LagThresholds { LagThresholds(bytes: lagBytes, seconds: lagSeconds) }

    /// The `--context` cluster from the config file, nil without `--context`.
    func clusterContext(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ExitCode) -> ClusterContext? {
        guard let context else { return nil }
        do {
            return try ConfigFile.load(path: ConfigFile.defaultPath(environment: environment), environment: environment).context(named: context)
        } catch {
            throw fail(error.description)
        }
    }

    /// Parses seeds and credentials, or returns the one-line reason they are unusable.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ExitCode) -> (seeds: [NodeAddress], options: ConnectionOptions) {
        // The command line wins over the context, field by field.
        let cluster = try clusterContext(environment: environment)
        let seeds = self.seeds.isEmpty ? cluster?.seeds ?? [] : self.seeds
        let user = self.user ?? cluster?.user
        let passwordFile = self.passwordFile ?? cluster?.passwordFile
        guard !seeds.isEmpty else { throw fail("no seed given: pass host:port of any cluster node (try `shardtop lab` for a local one)") }
        var parsed: [Seed] = []
        for text in seeds {
            do { parsed.append(try Seed.parse(text)) } catch { throw fail(error.description) }
        }
        guard (1...600_000).contains(timeout), (1...600_000).contains(connectTimeout) else {
            throw fail("--timeout and --connect-timeout must be between 1 and 600000 ms")
        }
        var password: String?
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw fail("cannot read password file \(passwordFile)")
            }
            password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
        } else if let value = environment["SHARDTOP_PASSWORD"] ?? environment["REDISCLI_AUTH"], !value.isEmpty {
            password = value
        } else if let inline = parsed.compactMap(\.inlinePassword).first {
            printError("warning: a password in a seed URI is visible in the process list; prefer SHARDTOP_PASSWORD or --password-file")
            password = inline
        }
        let options = ConnectionOptions(
            connectTimeout: .milliseconds(Int64(connectTimeout)),
            requestTimeout: .milliseconds(Int64(timeout)),
            user: user ?? parsed.compactMap(\.user).first,
            password: password,
            protocolVersion: resp3 ? 3 : 2
        )
        var unique: [NodeAddress] = []
        for seed in parsed where !unique.contains(seed.address) { unique.append(seed.address) }
        return (unique, options)
    }
}
