/// What `shardtop backup` wrote, and what `shardtop lab --restore` reads: the cluster it came
/// from, when, the slot map, and per shard the node that saved, how far behind it was, the
/// replication offset at the save, where the RDB file is, its size, sha256 and key count.
///
/// `complete` is false whenever any shard has no verified file: a backup is never silently
/// partial (the command also exits non-zero). JSON field names are the contract; missing values
/// are null.
public struct BackupManifest: Codable, Sendable, Equatable {
    public static let currentFormat = 1

    public var format: Int
    /// Every shard saved and its file copied (or fetched) and hashed.
    public var complete: Bool
    /// The cluster as the journal names it: addresses and the lowest primary id.
    public var cluster: String
    /// Every node id at the time: the cluster's identity (addresses are reused, ids are not).
    public var clusterNodeIds: [String]
    /// Seconds since 1970, when the backup began and ended.
    public var startedAt: Double
    public var finishedAt: Double
    /// "replicas" (the default: the primaries are spared) or "primaries".
    public var from: String
    public var server: String?
    public var version: String?
    public var shards: [BackupShardRecord]
    /// Why the backup is incomplete, one line per shard that failed.
    public var problems: [String]

    public init(complete: Bool, cluster: String, clusterNodeIds: [String], startedAt: Double, finishedAt: Double, from: String,
                server: String?, version: String?, shards: [BackupShardRecord], problems: [String]) {
        self.format = Self.currentFormat
        self.complete = complete
        self.cluster = cluster
        self.clusterNodeIds = clusterNodeIds
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.from = from
        self.server = server
        self.version = version
        self.shards = shards
        self.problems = problems
    }

    /// The slot map, shard by shard.
    public var slotMap: [[SlotRange]] { shards.map(\.slots) }
}

/// One shard of a backup.
public struct BackupShardRecord: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Saved, and the file is in the backup directory with its sha256.
        case saved
        /// Saved on a node of another host; the file is named (`remotePath`), not fetched.
        case savedRemote
        case failed
    }

    public var shard: Int
    public var primaryId: String
    public var primaryAddress: String
    public var slots: [SlotRange]
    public var status: Status
    public var error: String?
    /// The node that ran BGSAVE.
    public var nodeId: String?
    public var nodeAddress: String?
    /// "replica" or "primary".
    public var nodeRole: String?
    /// Why the primary saved instead of a replica (nil when a replica saved, or when asked).
    public var fallbackReason: String?
    /// How far behind its primary the replica was when chosen, in bytes and seconds.
    public var lagBytes: Int64?
    public var lagSeconds: Int?
    /// The primary's master_repl_offset when the backup began: every write the primary had
    /// acknowledged by then is in the save (the replica is waited for until it has reached it).
    public var primaryOffsetAtStart: Int64?
    /// The saving node's replication offset at the moment BGSAVE forked.
    public var offsetAtSave: Int64?
    /// Keys in the node's keyspace at the save (INFO keyspace, in the same request as BGSAVE).
    public var keys: Int64?
    /// rdb_last_save_time after the save.
    public var savedAt: Double?
    public var saveSeconds: Double?
    /// Where the node wrote the file (CONFIG GET dir + dbfilename), on the node's host.
    public var remotePath: String?
    /// The copy, relative to the manifest's directory.
    public var file: String?
    public var size: Int64?
    public var sha256: String?

    public init(shard: Int, primaryId: String, primaryAddress: String, slots: [SlotRange], status: Status) {
        self.shard = shard
        self.primaryId = primaryId
        self.primaryAddress = primaryAddress
        self.slots = slots
        self.status = status
    }
}
