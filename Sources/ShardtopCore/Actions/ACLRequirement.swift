/// One command an action sends, as the server's ACL sees it: the rule that allows it, a
/// well-formed instance for ACL DRYRUN, and (where one exists) a harmless probe.
public struct ACLRequirement: Sendable, Hashable, CustomStringConvertible {
    /// How the operator reads it: "CLUSTER SETSLOT".
    public let command: String
    /// The rule that allows it: "+cluster|setslot".
    public let rule: String
    /// Arguments for `ACL DRYRUN <user> ...`. DRYRUN checks arity, so this is a complete command;
    /// the server only checks it against the user's rules and never runs it.
    public let dryRun: [String]
    /// For servers where DRYRUN is refused or missing: a form the server rejects AFTER its ACL
    /// check (NOPERM when denied) and BEFORE doing anything (an argument error when allowed).
    /// Each was tried on redis 7.0.15 and valkey 9.1.2. nil when no form is harmless.
    public let probe: [String]?
    /// The command names keys: a key outside the user's patterns is refused as well, and the
    /// rule to add is then `~*` (a migration moves every key of a slot, whatever its name).
    public let namesKeys: Bool

    public init(command: String, rule: String, dryRun: [String], probe: [String]?, namesKeys: Bool = false) {
        self.command = command
        self.rule = rule
        self.dryRun = dryRun
        self.probe = probe
        self.namesKeys = namesKeys
    }

    public var description: String { command }

    /// The key the checks name. Narrow patterns (`~app:*`) do not cover it, so a user who could
    /// only migrate some keys of a slot is caught before a slot is left half moved.
    public static let probeKey = "shardtop-acl-probe"
    static let key = probeKey

    public static let clusterNodes = ACLRequirement(
        command: "CLUSTER NODES", rule: "+cluster|nodes", dryRun: ["CLUSTER", "NODES"], probe: ["CLUSTER", "NODES"])
    public static let countKeysInSlot = ACLRequirement(
        command: "CLUSTER COUNTKEYSINSLOT", rule: "+cluster|countkeysinslot",
        dryRun: ["CLUSTER", "COUNTKEYSINSLOT", "0"], probe: ["CLUSTER", "COUNTKEYSINSLOT", "16384"])
    public static let getKeysInSlot = ACLRequirement(
        command: "CLUSTER GETKEYSINSLOT", rule: "+cluster|getkeysinslot",
        dryRun: ["CLUSTER", "GETKEYSINSLOT", "0", "1"], probe: ["CLUSTER", "GETKEYSINSLOT", "16384", "1"])
    /// Slot 16384 is out of range: "ERR Invalid or out of range slot" before any state is touched.
    public static let setSlot = ACLRequirement(
        command: "CLUSTER SETSLOT", rule: "+cluster|setslot",
        dryRun: ["CLUSTER", "SETSLOT", "0", "STABLE"], probe: ["CLUSTER", "SETSLOT", "16384", "STABLE"])
    /// An unknown option is a syntax error, parsed before the replica does anything.
    public static let failover = ACLRequirement(
        command: "CLUSTER FAILOVER", rule: "+cluster|failover",
        dryRun: ["CLUSTER", "FAILOVER"], probe: ["CLUSTER", "FAILOVER", "shardtop-acl-probe"])
    public static let memoryUsage = ACLRequirement(
        command: "MEMORY USAGE", rule: "+memory|usage", dryRun: ["MEMORY", "USAGE", key], probe: ["MEMORY", "USAGE", key], namesKeys: true)
    /// A timeout that is not a number fails before MIGRATE connects anywhere or reads a key.
    public static let migrate = ACLRequirement(
        command: "MIGRATE", rule: "+migrate",
        dryRun: ["MIGRATE", "127.0.0.1", "6379", "", "0", "5000", "KEYS", key],
        probe: ["MIGRATE", "127.0.0.1", "1", key, "0", "not-a-timeout"], namesKeys: true)
    /// Sets a flag on this connection for its next command only; it changes nothing on the server.
    public static let asking = ACLRequirement(command: "ASKING", rule: "+asking", dryRun: ["ASKING"], probe: ["ASKING"])
    /// What MIGRATE sends to the target, as the user MIGRATE authenticates as (AUTH2: the same
    /// user). A payload that is not a DUMP fails its checksum: nothing is written.
    public static let restoreAsking = ACLRequirement(
        command: "RESTORE-ASKING", rule: "+restore-asking",
        dryRun: ["RESTORE-ASKING", key, "0", "x"], probe: ["RESTORE-ASKING", key, "0", "not-a-dump"], namesKeys: true)
    /// MIGRATE opens its connection to the target with SELECT (redis 7.0.15 and valkey 9.1.2 both
    /// answer "Target instance replied with error: NOPERM ... 'select'" without it). Database 0 is
    /// the only one in cluster mode and already selected, so the probe changes nothing.
    public static let select = ACLRequirement(command: "SELECT", rule: "+select", dryRun: ["SELECT", "0"], probe: ["SELECT", "0"])
    public static let dump = ACLRequirement(command: "DUMP", rule: "+dump", dryRun: ["DUMP", key], probe: ["DUMP", key], namesKeys: true)
    public static let exists = ACLRequirement(command: "EXISTS", rule: "+exists", dryRun: ["EXISTS", key], probe: ["EXISTS", key], namesKeys: true)
    /// DEL has no harmless form (with no key it fails the arity check, which comes before the ACL check).
    public static let del = ACLRequirement(command: "DEL", rule: "+del", dryRun: ["DEL", key], probe: nil, namesKeys: true)
    public static let migrateSlots = ACLRequirement(
        command: "CLUSTER MIGRATESLOTS", rule: "+cluster|migrateslots",
        dryRun: ["CLUSTER", "MIGRATESLOTS", "SLOTSRANGE", "0", "0", "NODE", "0"],
        probe: ["CLUSTER", "MIGRATESLOTS", "SLOTSRANGE", "16384", "16384", "NODE", "0"])
    public static let getSlotMigrations = ACLRequirement(
        command: "CLUSTER GETSLOTMIGRATIONS", rule: "+cluster|getslotmigrations",
        dryRun: ["CLUSTER", "GETSLOTMIGRATIONS"], probe: ["CLUSTER", "GETSLOTMIGRATIONS"])
    /// It cancels every job on the node, so it is never probed.
    public static let cancelSlotMigrations = ACLRequirement(
        command: "CLUSTER CANCELSLOTMIGRATIONS", rule: "+cluster|cancelslotmigrations",
        dryRun: ["CLUSTER", "CANCELSLOTMIGRATIONS"], probe: nil)
    /// The operation lease (OperationLease): our connection's name, then the node's client list.
    /// The probe names only the preflight's own connection.
    public static let clientSetName = ACLRequirement(
        command: "CLIENT SETNAME", rule: "+client|setname",
        dryRun: ["CLIENT", "SETNAME", "shardtop-acl-probe"], probe: ["CLIENT", "SETNAME", "shardtop-acl-probe"])
    /// Read-only; the filter on a client id that cannot exist keeps the probe's reply empty.
    public static let clientList = ACLRequirement(
        command: "CLIENT LIST", rule: "+client|list", dryRun: ["CLIENT", "LIST"], probe: ["CLIENT", "LIST", "ID", "0"])
}
