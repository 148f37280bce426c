/// What a log-command template can name about one node.
public struct NodeLogValues: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var id: String
    /// The hostname the node announces, if any.
    public var hostname: String?
    /// The node's pod name, if one is known (see `pod(address:hostname:map:)`).
    public var pod: String?

    public init(host: String, port: Int, id: String, hostname: String? = nil, pod: String? = nil) {
        self.host = host
        self.port = port
        self.id = id
        self.hostname = hostname
        self.pod = pod
    }

    /// A node's pod name for `kubectl logs {pod}`: the config's `pods:` entry for its address or
    /// node id when there is one; else the first label of the hostname it announces, because a
    /// StatefulSet pod announcing its DNS name (`redis-0.redis-headless.ns.svc`) starts with the
    /// pod's own name. nil when neither is known: guessing a pod would tail the wrong node's log.
    public static func pod(address: NodeAddress, id: String, hostname: String?, map: [String: String]) -> String? {
        if let mapped = map["\(address)"] ?? map[id] { return mapped }
        guard let hostname, let label = hostname.split(separator: ".").first, !label.isEmpty else { return nil }
        // An IP literal is not a pod name.
        if hostname.allSatisfy({ $0.isNumber || $0 == "." }) || hostname.contains(":") { return nil }
        return String(label)
    }
}
