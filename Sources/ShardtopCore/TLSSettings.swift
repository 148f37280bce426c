/// How to speak TLS to the nodes: the flags `--tls`, `--cacert`, `--cacert-dir`, `--cert`, `--key`,
/// `--tls-server-name` and `--insecure`, or the same fields of a named cluster's `tls:`. Plain paths
/// and names, no I/O; the connector's `TLSClient` turns them into a context once per session.
public struct TLSSettings: Sendable, Hashable {
    /// PEM file of the CA certificates to trust. With neither this nor `caDirectory`, the system's.
    public var caFile: String?
    /// A directory of PEM CA certificates.
    public var caDirectory: String?
    /// Client certificate (PEM) for servers that require one (Redis's default, `tls-auth-clients yes`).
    public var certificateFile: String?
    public var keyFile: String?
    /// The name sent as SNI and checked against the node's certificate. Without it: the host we
    /// connect to, and for an IP address its IP SAN.
    public var serverName: String?
    /// No certificate verification at all. Shown as a warning on every screen and on stderr.
    public var insecure: Bool

    public init(caFile: String? = nil, caDirectory: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                serverName: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.caDirectory = caDirectory
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
        self.insecure = insecure
    }

    /// The flags that reproduce these settings on a command line (for `lab --tls` to print).
    public var commandLineFlags: [String] {
        var flags = ["--tls"]
        if let caFile { flags += ["--cacert", caFile] }
        if let caDirectory { flags += ["--cacert-dir", caDirectory] }
        if let certificateFile { flags += ["--cert", certificateFile] }
        if let keyFile { flags += ["--key", keyFile] }
        if let serverName { flags += ["--tls-server-name", serverName] }
        if insecure { flags.append("--insecure") }
        return flags
    }
}
