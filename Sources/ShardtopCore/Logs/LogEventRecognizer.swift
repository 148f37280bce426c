/// Spots the cluster events a node announces in its log (wording checked against real logs of
/// Redis 7.0 and Valkey 9.1, whose phrasing differs in places: "new master" / "new primary",
/// "replica of <id>" / "replica of node <id> (<addr>) in shard ...").
///
/// Plain prefix tests, dispatched on the first byte: this runs on every line of a 200-line tail
/// and on every followed line, and almost every line is not an event.
public enum LogEventRecognizer {
    public static func recognize(_ message: String) -> LogEventKind? {
        guard let first = message.utf8.first else { return nil }
        switch first {
        case UInt8(ascii: "S"):
            if let rest = after("Starting a failover election for epoch ", in: message) {
                return .failoverElectionStarted(epoch: Int(rest.prefix { $0.isNumber }))
            }
        case UInt8(ascii: "F"):
            if message.hasPrefix("Failover election won") { return .failoverElectionWon }
            if let rest = after("Failover auth denied to ", in: message) { return .failoverAuthDenied(to: nodeID(rest)) }
        case UInt8(ascii: "M"):
            if message.hasPrefix("Manual failover timed out") { return .manualFailoverTimedOut }
            if message.hasPrefix("Manual failover user request accepted") { return .manualFailoverAccepted }
            // Only the node that counted the quorum says this; the others log "FAIL message
            // received ... about <id>", which would repeat one fact once per node on a timeline.
            if let rest = after("Marking node ", in: message), message.contains("as failing (quorum reached)") {
                return .nodeMarkedFailing(node: nodeID(rest))
            }
        case UInt8(ascii: "C"):
            if let rest = after("Clear FAIL state for node ", in: message) { return .failCleared(node: nodeID(rest)) }
            if let rest = after("Configuration change detected. Reconfiguring myself as a replica of ", in: message) {
                return .reconfiguredAsReplica(of: nodeID(rest.hasPrefix("node ") ? rest.dropFirst(5) : rest))
            }
        case UInt8(ascii: "c"):
            if let rest = after("configEpoch collision with node ", in: message) { return .configEpochCollision(with: nodeID(rest)) }
        case UInt8(ascii: "W"):
            // Redis 7 prefixes this one with "WARNING: "; Valkey dropped the prefix.
            if let rest = after("WARNING: configEpoch collision with node ", in: message) { return .configEpochCollision(with: nodeID(rest)) }
        default:
            break
        }
        return nil
    }

    private static func after(_ prefix: String, in message: String) -> Substring? {
        message.hasPrefix(prefix) ? message.dropFirst(prefix.count) : nil
    }

    /// A node id is 40 hex digits; anything else where one was expected means the wording
    /// changed, and a wrong id on the timeline is worse than none.
    private static func nodeID(_ text: Substring) -> String? {
        let candidate = text.prefix(40)
        guard candidate.count == 40, candidate.utf8.allSatisfy(isHexDigit) else { return nil }
        return String(candidate)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
