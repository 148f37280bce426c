import ShardtopCore

/// A starting point for discovery: `host:port`, `redis://[user@]host:port`, or `rediss://` for TLS.
public struct Seed: Hashable, Sendable {
    public var address: NodeAddress
    public var user: String?
    /// `rediss://` (or `valkeys://`): this cluster speaks TLS.
    public var tls: Bool
    /// Present only when someone put a password in the URI; callers warn that it shows in `ps`.
    public var inlinePassword: String?

    public init(address: NodeAddress, user: String? = nil, inlinePassword: String? = nil, tls: Bool = false) {
        self.address = address
        self.tls = tls
        self.user = user
        self.inlinePassword = inlinePassword
    }

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case malformed(String)
        case unsupportedScheme(String)

        public var description: String {
            switch self {
            case .malformed(let text):
                "not a node address: '\(sanitizedForDisplay(text))' (expected host:port, redis://[user@]host:port or rediss://[user@]host:port)"
            case .unsupportedScheme(let scheme):
                "\(sanitizedForDisplay(scheme)):// is not a node address scheme: use redis://host:port, or rediss://host:port for TLS"
            }
        }
    }

    public static func parse(_ text: String) throws(ParseError) -> Seed {
        var rest = Substring(text)
        var tls = false
        if let schemeEnd = rest.range(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            switch scheme {
            case "redis", "valkey": tls = false
            case "rediss", "valkeys": tls = true
            default: throw .unsupportedScheme(scheme)
            }
            rest = rest[schemeEnd.upperBound...]
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        }
        var user: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
            if user?.isEmpty == true { user = nil }
        }
        guard let address = NodeAddress(String(rest)) else { throw .malformed(text) }
        return Seed(address: address, user: user, inlinePassword: password, tls: tls)
    }
}
