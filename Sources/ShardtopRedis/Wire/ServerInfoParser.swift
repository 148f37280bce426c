import ShardtopCore

/// INFO is parsed leniently: a field the server does not print, or prints in a form we do not
/// understand, becomes nil rather than failing the poll. Servers add and rename fields often.
public enum ServerInfoParser {
    public static func parse(_ text: String) -> ServerInfo {
        parse(InfoFields(text))
    }

    /// The reply's bytes as they came off the wire (no String is made of the whole reply).
    public static func parse(bytes: [UInt8]) -> ServerInfo {
        parse(InfoFields(bytes: bytes, keeping: keys))
    }

    /// Every key `parse` and `PersistenceInfoParser` read (a debug build traps on any other).
    static let keys = InfoKeys([
        "server_name", "valkey_version", "redis_version", "uptime_in_seconds",
        "role", "master_repl_offset", "slave_repl_offset", "master_host", "master_port", "master_link_status",
        "master_last_io_seconds_ago", "master_link_down_since_seconds", "master_sync_in_progress", "master_sync_perc",
        "instantaneous_ops_per_sec", "total_commands_processed", "evicted_keys", "expired_keys",
        "used_memory", "maxmemory", "maxmemory_policy", "mem_fragmentation_ratio",
        "connected_clients", "maxclients", "used_cpu_sys", "used_cpu_user",
    ] + PersistenceInfoParser.keys, numbered: ["slave", "db"])

    static func parse(_ fields: InfoFields) -> ServerInfo {
        // Valkey keeps printing redis_version (frozen at 7.2.4) for client compatibility,
        // so only valkey_version tells its real version.
        let isValkey = fields.string("server_name") == "valkey"
        var info = ServerInfo(
            serverName: isValkey ? "valkey" : "redis",
            version: fields.string("valkey_version") ?? fields.string("redis_version") ?? "",
            keys: totalKeys(fields),
            loading: fields.string("loading") == "1"
        )
        info.role = role(fields.string("role"))
        info.uptimeSeconds = fields.int64("uptime_in_seconds")
        info.opsPerSec = fields.int("instantaneous_ops_per_sec")
        info.totalCommands = fields.int64("total_commands_processed")
        info.usedMemory = fields.int64("used_memory")
        info.maxMemory = fields.int64("maxmemory")
        info.maxMemoryPolicy = fields.string("maxmemory_policy")
        info.fragmentationRatio = fields.double("mem_fragmentation_ratio")
        info.evictedKeysTotal = fields.int64("evicted_keys").flatMap { $0 < 0 ? nil : $0 }
        info.expiredKeysTotal = fields.int64("expired_keys").flatMap { $0 < 0 ? nil : $0 }
        info.connectedClients = fields.int("connected_clients")
        info.maxClients = fields.int("maxclients")
        info.persistence = PersistenceInfoParser.parse(fields)
        info.cpuSystemSeconds = fields.double("used_cpu_sys")
        info.cpuUserSeconds = fields.double("used_cpu_user")

        // A replica also prints master_repl_offset, but that is the stream it has received;
        // slave_repl_offset is what it has applied, which is what byte lag must be measured with.
        info.replicationOffset = info.role == .replica
            ? fields.int64("slave_repl_offset") ?? fields.int64("master_repl_offset")
            : fields.int64("master_repl_offset")
        info.replicas = fields.numbered("slave").compactMap(replicaAck)

        if let host = fields.string("master_host"), let port = fields.int("master_port") {
            info.primaryAddress = address(host: host, port: port)
        }
        switch fields.string("master_link_status") {
        case "up": info.primaryLinkUp = true
        case "down": info.primaryLinkUp = false
        default: break
        }
        // Both servers print -1 for "never" (no I/O yet; link not known to be down), not a duration.
        info.primaryLastIOSecondsAgo = fields.int("master_last_io_seconds_ago").flatMap { $0 < 0 ? nil : $0 }
        info.primaryLinkDownSinceSeconds = fields.int("master_link_down_since_seconds").flatMap { $0 < 0 ? nil : $0 }
        switch fields.string("master_sync_in_progress") {
        case "1": info.syncInProgress = true
        case "0": info.syncInProgress = false
        default: break
        }
        info.syncPercent = fields.double("master_sync_perc")
        return info
    }

    private static func role(_ text: String?) -> NodeRole? {
        switch text {
        case "master", "primary": .primary
        case "slave", "replica": .replica
        default: nil
        }
    }

    /// Sums `dbN:keys=..` so a node using several databases (possible outside cluster mode) still adds up.
    private static func totalKeys(_ fields: InfoFields) -> Int64 {
        var total: Int64 = 0
        for database in fields.numbered("db") {
            guard let keys = database.int64("keys"), keys >= 0 else { continue }
            // A hostile reply must not trap on overflow; saturate instead.
            let (sum, overflow) = total.addingReportingOverflow(keys)
            total = overflow ? .max : sum
        }
        return total
    }

    /// `ip=..,port=..,state=..,offset=..,lag=..`; Valkey appends more pairs (type=replica).
    private static func replicaAck(_ pairs: InfoSubfields) -> ReplicaAck? {
        guard let host = pairs.string("ip"), let port = pairs.int("port"),
              let address = address(host: host, port: port),
              let offset = pairs.int64("offset"),
              let lag = pairs.int("lag")
        else { return nil }
        return ReplicaAck(address: address, state: pairs.string("state") ?? "unknown", offset: offset, lagSeconds: lag)
    }

    private static func address(host: String, port: Int) -> NodeAddress? {
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        return NodeAddress(host: host, port: port)
    }
}
