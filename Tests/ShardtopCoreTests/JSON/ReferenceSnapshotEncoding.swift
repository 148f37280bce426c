import ShardtopCore

/// How `snapshot --json` was encoded before `JSONText` (issue 12): `JSONEncoder` over these
/// `encode(to:)` methods, kept verbatim here so the new writer is held to the old bytes.
struct ReferenceSnapshotDocument: Encodable {
    var time: Double
    var state: String
    var slotsCovered: Int
    var uncoveredSlots: [SlotRange]
    var currentEpoch: Int64
    var nodes: [ReferenceNode]
    var shards: [Shard]
    var openSlots: [OpenSlot]
    var disagreeingNodes: [String]
    var findings: [Finding]

    init(_ document: SnapshotDocument) {
        time = document.time
        state = document.state
        slotsCovered = document.slotsCovered
        uncoveredSlots = document.uncoveredSlots
        currentEpoch = document.currentEpoch
        nodes = document.nodes.map(ReferenceNode.init)
        shards = document.shards
        openSlots = document.openSlots
        disagreeingNodes = document.disagreeingNodes
        findings = document.findings
    }
}

struct ReferenceNode: Encodable {
    var node: SnapshotNode

    private enum CodingKeys: String, CodingKey {
        case id, address, hostname, role, primaryId, health, flags, linkConnected, configEpoch, slots, server, version
        case opsPerSec, usedMemory, maxMemory, maxMemoryPolicy, fragmentationRatio, evictedKeys, expiredKeys
        case evictedKeysPerSec, expiredKeysPerSec, keys, clients, maxClients, persistence, cpuPercent, replicationOffset, primaryLinkStatus
        case lagBytes, lagSeconds, syncInProgress, syncPercent, error, lastSeen, roundTripMillis, cpuSecondsTotal
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node.id, forKey: .id)
        try container.encode(node.address, forKey: .address)
        try container.encode(node.hostname, forKey: .hostname)
        try container.encode(node.role, forKey: .role)
        try container.encode(node.primaryId, forKey: .primaryId)
        try container.encode(node.health, forKey: .health)
        try container.encode(node.flags, forKey: .flags)
        try container.encode(node.linkConnected, forKey: .linkConnected)
        try container.encode(node.configEpoch, forKey: .configEpoch)
        try container.encode(node.slots, forKey: .slots)
        try container.encode(node.server, forKey: .server)
        try container.encode(node.version, forKey: .version)
        try container.encode(node.opsPerSec, forKey: .opsPerSec)
        try container.encode(node.usedMemory, forKey: .usedMemory)
        try container.encode(node.maxMemory, forKey: .maxMemory)
        try container.encode(node.maxMemoryPolicy, forKey: .maxMemoryPolicy)
        try container.encode(node.fragmentationRatio, forKey: .fragmentationRatio)
        try container.encode(node.evictedKeys, forKey: .evictedKeys)
        try container.encode(node.expiredKeys, forKey: .expiredKeys)
        try container.encode(node.evictedKeysPerSec, forKey: .evictedKeysPerSec)
        try container.encode(node.expiredKeysPerSec, forKey: .expiredKeysPerSec)
        try container.encode(node.keys, forKey: .keys)
        try container.encode(node.clients, forKey: .clients)
        try container.encode(node.maxClients, forKey: .maxClients)
        try container.encode(node.persistence.map(ReferencePersistence.init), forKey: .persistence)
        try container.encode(node.cpuPercent, forKey: .cpuPercent)
        try container.encode(node.replicationOffset, forKey: .replicationOffset)
        try container.encode(node.primaryLinkStatus, forKey: .primaryLinkStatus)
        try container.encode(node.lagBytes, forKey: .lagBytes)
        try container.encode(node.lagSeconds, forKey: .lagSeconds)
        try container.encode(node.syncInProgress, forKey: .syncInProgress)
        try container.encode(node.syncPercent, forKey: .syncPercent)
        try container.encode(node.error, forKey: .error)
        try container.encode(node.lastSeen, forKey: .lastSeen)
        try container.encode(node.roundTripMillis, forKey: .roundTripMillis)
        try container.encode(node.cpuSecondsTotal, forKey: .cpuSecondsTotal)
    }
}

struct ReferencePersistence: Encodable {
    var info: PersistenceInfo

    private enum CodingKeys: String, CodingKey {
        case loading, loadingPercent, loadingEtaSeconds
        case rdbLastSaveTime, rdbLastSaveAgeSeconds, rdbChangesSinceLastSave, rdbBgsaveInProgress, rdbLastBgsaveStatus, rdbLastBgsaveSeconds
        case rdbSaveConfigured, latestForkMicros
        case aofEnabled, aofRewriteInProgress, aofLastWriteStatus, aofLastRewriteStatus
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(info.loading, forKey: .loading)
        try container.encode(info.loadingPercent, forKey: .loadingPercent)
        try container.encode(info.loadingEtaSeconds, forKey: .loadingEtaSeconds)
        try container.encode(info.rdbLastSaveTime, forKey: .rdbLastSaveTime)
        try container.encode(info.rdbLastSaveAgeSeconds, forKey: .rdbLastSaveAgeSeconds)
        try container.encode(info.rdbChangesSinceLastSave, forKey: .rdbChangesSinceLastSave)
        try container.encode(info.rdbBgsaveInProgress, forKey: .rdbBgsaveInProgress)
        try container.encode(info.rdbLastBgsaveStatus, forKey: .rdbLastBgsaveStatus)
        try container.encode(info.rdbLastBgsaveSeconds, forKey: .rdbLastBgsaveSeconds)
        try container.encode(info.rdbSaveConfigured, forKey: .rdbSaveConfigured)
        try container.encode(info.latestForkMicros, forKey: .latestForkMicros)
        try container.encode(info.aofEnabled, forKey: .aofEnabled)
        try container.encode(info.aofRewriteInProgress, forKey: .aofRewriteInProgress)
        try container.encode(info.aofLastWriteStatus, forKey: .aofLastWriteStatus)
        try container.encode(info.aofLastRewriteStatus, forKey: .aofLastRewriteStatus)
    }
}
