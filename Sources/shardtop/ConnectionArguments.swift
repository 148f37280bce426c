import ShardtopApp
import ArgumentParser
import Foundation
import NIOCore
import ShardtopConfig
import ShardtopCore
import ShardtopRedis

/// Options shared by every command that talks to a cluster.
struct ConnectionArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("One or more nodes to start discovery from.", valueName: "host:port | redis[s]://[user@]host:port"))
    var seeds: [String] = []

    @Flag(help: "Speak TLS to every node (implied by a rediss:// seed or any TLS option below). Never falls back to plaintext.")
    var tls = false

    @Option(help: ArgumentHelp("Trust the CA certificates in this PEM file (default: the system's).", valueName: "file"))
    var cacert: String?

    @Option(help: ArgumentHelp("Trust the CA certificates in this directory of PEM files.", valueName: "dir"))
    var cacertDir: String?

    @Option(help: ArgumentHelp("Client certificate (PEM) for nodes that require one (mTLS); needs --key.", valueName: "file"))
    var cert: String?

    @Option(help: ArgumentHelp("Private key (PEM) of the client certificate.", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("Name sent as SNI and checked against each node's certificate (default: the address connected to).", valueName: "name"))
    var tlsServerName: String?

    @Flag(help: "Do not verify node certificates at all (a warning stays on screen).")
    var insecure = false

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

    func validate() throws {
        try NumericOption.check(timeout, "--timeout", 1...600_000, unit: "ms")
        try NumericOption.check(connectTimeout, "--connect-timeout", 1...600_000, unit: "ms")
        // Up to 1 PiB and a week: past either, "lagging" would never be said, which no one means.
        try NumericOption.check(lagBytes, "--lag-bytes", 0...(1 << 50), unit: "bytes")
        try NumericOption.check(lagSeconds, "--lag-seconds", 0...604_800, unit: "s")
    }

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
        if let passwordFile { warnIfExposed(passwordFile, what: "password file") }
        guard !seeds.isEmpty else { throw fail("no seed given: pass host:port of any cluster node (try `shardtop lab` for a local one)") }
        var parsed: [Seed] = []
        for text in seeds {
            do { parsed.append(try Seed.parse(text)) } catch { throw fail(error.description) }
        }
        var password: String?
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw fail("cannot read password file \(passwordFile)")
            }
            guard let first = Self.passwordLine(text) else {
                throw fail("password file \(passwordFile) is empty: put the password on its first line")
            }
            password = first
        } else if let value = ConnectionOptions.passwordEnvironmentVariables.lazy.compactMap({ environment[$0] }).first, !value.isEmpty {
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
            protocolVersion: resp3 ? 3 : 2,
            tls: try tlsClient(seeds: parsed, context: cluster)
        )
        var unique: [NodeAddress] = []
        for seed in parsed where !unique.contains(seed.address) { unique.append(seed.address) }
        return (unique, options)
    }

    /// The first line, without its line ending (LF or CRLF: a file saved on Windows ends in "\r\n",
    /// and in Swift that pair is one Character, so splitting on "\n" would keep it). nil when empty.
    static func passwordLine(_ text: String) -> String? {
        let scalars = text.unicodeScalars
        let end = scalars.firstIndex { $0 == "\n" || $0 == "\r" } ?? scalars.endIndex
        let line = String(scalars[..<end])
        return line.isEmpty ? nil : line
    }

    /// TLS from the flags, the seeds' scheme and the context, field by field (flags win).
    /// TLS or not is one decision for the whole cluster: mixing rediss:// and redis:// seeds is refused
    /// rather than guessed, since a wrong guess would send a password in the clear.
    func tlsSettings(seeds: [Seed], context: ClusterContext?) throws(ExitCode) -> TLSSettings? {
        let context = context?.tls
        let settings = TLSSettings(
            caFile: cacert ?? context?.caFile, caDirectory: cacertDir ?? context?.caDirectory,
            certificateFile: cert ?? context?.certificateFile, keyFile: key ?? context?.keyFile,
            serverName: tlsServerName ?? context?.serverName, insecure: insecure || context?.insecure == true
        )
        let schemes = Set(seeds.map(\.tls))
        if schemes.count > 1 { throw fail("some seeds are rediss:// and some redis://: a cluster is either TLS or not; give one kind") }
        let optionGiven = settings != TLSSettings()
        let wanted = tls || schemes.contains(true) || optionGiven || context != nil
        return wanted ? settings : nil
    }

    private func tlsClient(seeds: [Seed], context: ClusterContext?) throws(ExitCode) -> TLSClient? {
        guard let settings = try tlsSettings(seeds: seeds, context: context) else { return nil }
        if let keyFile = settings.keyFile { warnIfExposed(keyFile, what: "key file") }
        if settings.insecure {
            printError("warning: --insecure: node certificates are not verified; anyone on the path can read and change this session")
        }
        do { return try TLSClient(settings) } catch { throw fail(error.description) }
    }
}

/// Like ssh: a secret readable by group or others is worth a warning (not a refusal: the operator
/// may know better, e.g. a group-owned secret mount).
func warnIfExposed(_ path: String, what: String) {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
          let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 else { return }
    printError("warning: \(what) \(path) is readable by \(mode & 0o070 != 0 ? "group" : "others") (mode \(String(mode & 0o777, radix: 8))); chmod 600 it")
}
