/// The two ACL users the README recommends, as the exact lines it prints. Integration tests load
/// these lines on real redis and valkey nodes, and a unit test keeps the operating line equal to
/// what ActionPermissions says the actions send, so the README cannot drift from the code.
/// Both lines must be accepted by redis 7.0, which rejects rules for commands it does not have
/// (`+cluster|slot-stats`, `+commandlog|get`): without them the slot map falls back to sampled
/// COUNTKEYSINSLOT and the log fallback to SLOWLOG.
public enum ACLUserLines {
    /// Every screen: the poll (CLUSTER NODES, CLUSTER INFO, INFO), keys per slot, and the logs
    /// screen's stand-in when the log file is out of reach. No CONFIG GET (it reveals
    /// requirepass and masterauth) and no CLIENT SETNAME (naming the connection is optional).
    public static let monitoringRules = [
        "+cluster|nodes", "+cluster|info", "+info", "+cluster|countkeysinslot",
        "+slowlog|get", "+latency|latest", "+command|info",
    ]

    /// Every action on every server, plus ACL DRYRUN so the preflight is exact (it reveals only
    /// whether this user may run a command). `~*`: a migration moves every key of a slot.
    public static let operatingRules = monitoringRules + [
        "+cluster|failover", "+cluster|setslot", "+cluster|getkeysinslot", "+memory|usage",
        "+migrate", "+asking", "+restore-asking", "+select", "+dump", "+exists", "+del",
        "+client|setname", "+client|list", "+acl|dryrun", "~*",
    ]

    /// Added for Valkey 9.0+'s atomic path (CLUSTER MIGRATESLOTS); redis 7.0 refuses these rules.
    public static let atomicRules = ["+cluster|migrateslots", "+cluster|getslotmigrations", "+cluster|cancelslotmigrations"]

    public static let monitoringUser = "shardtop-watch"
    public static let operatingUser = "shardtop-ops"

    /// `reset` first, so loading a line again gives exactly these rules and nothing left over.
    public static func line(user: String, password: String = "PASSWORD", rules: [String]) -> String {
        "ACL SETUSER \(user) reset on >\(password) " + rules.joined(separator: " ")
    }

    public static var monitoring: String { line(user: monitoringUser, rules: monitoringRules) }
    public static var operating: String { line(user: operatingUser, rules: operatingRules) }
}
