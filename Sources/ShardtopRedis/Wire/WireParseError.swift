/// A reply line shardtop refuses to guess about. Carries the raw line so a caller can log it,
/// but `description` escapes it: the text came from the network and may hold terminal escapes.
public struct WireParseError: Error, Hashable, CustomStringConvertible {
    /// Which reply the line belongs to, e.g. "CLUSTER NODES".
    public var reply: String
    /// 1-based; nil when the reply as a whole is unusable (empty, say).
    public var lineNumber: Int?
    public var line: String
    public var reason: String

    public init(reply: String, lineNumber: Int?, line: String, reason: String) {
        self.reply = reply
        self.lineNumber = lineNumber
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let reason = sanitizedForDisplay(reason)
        guard let lineNumber else { return "\(reply): \(reason)" }
        return "\(reply) line \(lineNumber): \(reason): \"\(sanitizedForDisplay(line, limit: 160))\""
    }
}
