import ShardtopCore

/// INFO is parsed leniently: a field the server does not print, or prints in a form we do not
/// understand, becomes nil rather than failing the poll. Servers add and rename fields often.
public enum ServerInfoParser {
    public static func parse(_ text: String) -> ServerInfo {
        let fields = InfoFields(text)
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
        info.replicas = fields.entries.compactMap { key, value in
            isNumbered(key, prefix: "slave") ? replicaAck(value) : nil
        }

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
        for (key, value) in fields.entries where isNumbered(key, prefix: "db") {
            guard let keys = subfields(value)["keys"].flatMap({ Int64($0) }), keys >= 0 else { continue }
            // A hostile reply must not trap on overflow; saturate instead.
            let (sum, overflow) = total.addingReportingOverflow(keys)
            total = overflow ? .max : sum
        }
        return total
    }

    /// `ip=..,port=..,state=..,offset=..,lag=..`; Valkey appends more pairs (type=replica).
    private static func replicaAck(_ value: Substring) -> ReplicaAck? {
        let pairs = subfields(value)
        guard let host = pairs["ip"], let port = pairs["port"].flatMap({ Int($0) }),
              let address = address(host: String(host), port: port),
              let offset = pairs["offset"].flatMap({ Int64($0) }),
              let lag = pairs["lag"].flatMap({ Int($0) })
        else { return nil }
        return ReplicaAck(address: address, state: pairs["state"].map(String.init) ?? "unknown", offset: offset, lagSeconds: lag)
    }

    private static func address(host: String, port: Int) -> NodeAddress? {
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        return NodeAddress(host: host, port: port)
    }

    private static func subfields(_ value: Substring) -> [Substring: Substring] {
        var result: [Substring: Substring] = [:]
        for pair in value.wireSplit(separator: UInt8(ascii: ",")) {
            guard let equals = pair.wireFirstIndex(of: UInt8(ascii: "=")) else { continue }
            result[pair[..<equals]] = pair.wireSuffix(after: equals)
        }
        return result
    }

    /// True for "slave0", "db12": the prefix followed by digits only, so "slave_repl_offset" does not match.
    private static func isNumbered(_ key: Substring, prefix: String) -> Bool {
        let bytes = key.utf8
        guard bytes.starts(with: prefix.utf8) else { return false }
        let digits = bytes.dropFirst(prefix.utf8.count)
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

/// The `key:value` lines shared by INFO and CLUSTER INFO, in reply order.
///
/// Indexed by a hash of each key's bytes rather than by `Substring`: a dictionary of substrings
/// hashes through the Unicode-normalising path, and INFO with its eight sections is about 200
/// lines per node per tick; that indexing was half of INFO's parse. A lookup compares the bytes
/// too, so two keys with the same hash cannot be mistaken for each other.
struct InfoFields {
    private(set) var entries: [(key: Substring, value: Substring)] = []
    /// Position in `entries` of the first key with each hash.
    private var firstByHash: [UInt64: Int] = [:]

    init(_ text: String) {
        let lines = text[...].wireLines(omittingEmpty: true)
        entries.reserveCapacity(lines.count)
        firstByHash.reserveCapacity(lines.count)
        for rawLine in lines {
            let line = rawLine.wireTrimmed()
            // Section headers ("# Server") and anything without a colon carry no value.
            guard !line.wireHasPrefix(UInt8(ascii: "#")), let colon = line.wireFirstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = line[..<colon]
            // Split on the first colon only: values such as `executable:/path` or `os:Linux ...` keep theirs.
            let value = line.wireSuffix(after: colon)
            let hash = Self.hash(key.utf8)
            if firstByHash[hash] == nil { firstByHash[hash] = entries.count }
            entries.append((key, value))
        }
    }

    /// The first value given for `key`.
    subscript(key: String) -> Substring? {
        let hash = Self.hash(key.utf8)
        guard let first = firstByHash[hash] else { return nil }
        if entries[first].key.utf8.elementsEqual(key.utf8) { return entries[first].value }
        // Another key with the same hash came first: look for this one the slow way.
        return entries[first...].first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    /// FNV-1a over the key's UTF-8 bytes.
    private static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// nil for a missing or empty value.
    func string(_ key: String) -> String? {
        guard let value = self[key], !value.isEmpty else { return nil }
        return String(value)
    }

    func int(_ key: String) -> Int? { self[key].flatMap { Int($0) } }
    func int64(_ key: String) -> Int64? { self[key].flatMap { Int64($0) } }

    /// Rejects nan/inf, which Swift's Double parser would otherwise accept from a broken server.
    func double(_ key: String) -> Double? {
        guard let value = self[key].flatMap({ Double($0) }), value.isFinite else { return nil }
        return value
    }
}
