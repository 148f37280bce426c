import ShardtopCore

/// One named cluster from the config file, selected with `--context NAME`. Every field but the
/// name is optional: a context may only set a log command, with seeds given on the command line.
public struct ClusterContext: Sendable, Equatable {
    public var name: String
    public var seeds: [String]
    public var user: String?
    /// Already resolved: `~/` is the home directory, a relative path is relative to the config file's directory.
    public var passwordFile: String?
    /// The template text; parsed (and its placeholders checked) by `LogCommandTemplate`.
    public var logCommand: String?
    /// Pod names by node address ("10.0.0.5:6379") or node id, for {pod} in the log command.
    public var pods: [String: String]
    public var theme: String?
    /// Poll interval in seconds.
    public var interval: Double?
    /// TLS for this cluster (`tls:` in the file); nil means plaintext unless a seed is rediss://.
    public var tls: TLSSettings?
    /// Where the context starts in the file, for errors found later (a bad log-command).
    public var line: Int?

    public init(name: String, seeds: [String] = [], user: String? = nil, passwordFile: String? = nil,
                logCommand: String? = nil, pods: [String: String] = [:], theme: String? = nil, interval: Double? = nil, line: Int? = nil) {
        self.name = name
        self.seeds = seeds
        self.user = user
        self.passwordFile = passwordFile
        self.logCommand = logCommand
        self.pods = pods
        self.theme = theme
        self.interval = interval
        self.line = line
    }
}

