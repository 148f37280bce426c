import NIOCore

/// How to reach and authenticate to nodes. One value is shared by every connection of a session.
public struct ConnectionOptions: Sendable {
    public var connectTimeout: TimeAmount
    /// Deadline for each pipelined request; a node that misses it is reported, never waited on longer.
    public var requestTimeout: TimeAmount
    /// ACL user; nil means the default user.
    public var user: String?
    /// Never logged or printed. Comes from the environment or a file, not the command line.
    public var password: String?
    /// 2 or 3. RESP3 is negotiated with HELLO 3.
    public var protocolVersion: Int
    public var limits: RESPLimits
    public var clientName: String
    /// nil: plaintext. Set: every connection speaks TLS, and never falls back to plaintext.
    public var tls: TLSClient?

    /// Where the command line's password comes from when no file is given, first set wins. Read
    /// by the argument resolution and by `PlainCommandLine`, which must not connect without AUTH.
    public static let passwordEnvironmentVariables = ["SHARDTOP_PASSWORD", "REDISCLI_AUTH"]

    public init(
        connectTimeout: TimeAmount = .milliseconds(1000),
        requestTimeout: TimeAmount = .milliseconds(1000),
        user: String? = nil,
        password: String? = nil,
        protocolVersion: Int = 2,
        limits: RESPLimits = .default,
        clientName: String = "shardtop",
        tls: TLSClient? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.user = user
        self.password = password
        self.protocolVersion = protocolVersion
        self.limits = limits
        self.clientName = clientName
        self.tls = tls
    }
}
