import ShardtopCore
import ShardtopLogs
import ShardtopProcess
import ShardtopRedis

/// How `shardtop backup` runs: where files go, how they are fetched from other hosts, and the
/// bounded waits (every wait ends, with its reason, rather than hang on a stuck node).
public struct BackupSettings: Sendable {
    /// The backup directory: the manifest and the copied files go here.
    public var directory: String
    public var copyTemplate: BackupCopyTemplate?
    /// How long a replica may take to reach its primary's offset at the start.
    public var catchUpTimeout: Duration
    /// How long one BGSAVE may run before the shard is reported as failed (the save goes on).
    public var saveTimeout: Duration
    public var copyTimeout: Duration
    public var pollInterval: Duration

    public init(directory: String, copyTemplate: BackupCopyTemplate? = nil, catchUpTimeout: Duration = .seconds(30),
                saveTimeout: Duration = .seconds(3600), copyTimeout: Duration = .seconds(3600), pollInterval: Duration = .milliseconds(100)) {
        self.directory = directory
        self.copyTemplate = copyTemplate
        self.catchUpTimeout = catchUpTimeout
        self.saveTimeout = saveTimeout
        self.copyTimeout = copyTimeout
        self.pollInterval = pollInterval
    }
}
