import ShardtopCore

/// Why a request to a node did not produce a reply. Each description is one line an operator can act on.
public enum RedisClientError: Error, Hashable, CustomStringConvertible {
    case connectFailed(address: NodeAddress, reason: String)
    case connectTimedOut(address: NodeAddress, millis: Int)
    case timedOut(millis: Int)
    case connectionClosed
    case protocolViolation(String)
    /// Names the user and the node; `detail` is the server's reply (which never echoes the password).
    case authenticationFailed(user: String, address: NodeAddress, detail: String)
    case backingOff(lastError: String, retryInMillis: Int)
    case unexpectedReply(String)
    /// TLS could not be agreed with the node, or one side spoke TLS and the other did not.
    case tls(address: NodeAddress, reason: String)

    public var description: String {
        switch self {
        case .connectFailed(let address, let reason): "cannot connect to \(address): \(reason)"
        case .connectTimedOut(let address, let millis): "connect to \(address) timed out after \(millis) ms"
        case .timedOut(let millis): "no reply within \(millis) ms"
        case .connectionClosed: "connection closed by the node"
        case .protocolViolation(let detail): "protocol error from node: \(detail)"
        case .authenticationFailed(let user, let address, let detail): "authentication failed for user \(user) on node \(address): \(detail)"
        case .backingOff(let lastError, let millis): "\(lastError) (retrying \(millis < 1 ? "on the next poll" : "in \(millis) ms"))"
        case .unexpectedReply(let detail): "unexpected reply: \(detail)"
        case .tls(_, let reason): "TLS: \(reason)"
        }
    }
}

/// Node-supplied text may carry escape sequences; never let it reach a terminal raw.
public func sanitizedForDisplay(_ text: String, limit: Int = 200) -> String {
    var result = ""
    for scalar in text.unicodeScalars.prefix(limit) {
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
            result += String(format: "\\x%02X", scalar.value)
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    if text.unicodeScalars.count > limit { result += "..." }
    return result
}
