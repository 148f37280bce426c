/// Tuning and safety switches for one migration run.
public struct MigrationSettings: Sendable {
    /// Slots opened, drained and finalised together. Bigger rounds mean fewer round trips; smaller
    /// rounds mean fewer slots open at any moment (what `fix` would face after a crash).
    public var slotsPerRound: Int
    /// Keys per GETKEYSINSLOT / MIGRATE batch (redis-cli's --cluster-pipeline defaults to 10).
    public var batchKeys: Int
    public var migrateTimeoutMillis: Int
    /// Overwrite keys the target already has with different values (the operator confirmed REPLACE).
    public var replaceConflicts: Bool
    /// Slots per atomic-migration job: smaller jobs give finer progress and a smaller rollback on
    /// cancel, but every job pays a fixed cost on the server (handshake, fork for the snapshot, write
    /// pause and ownership hand-over), about 0.1-0.16 s per job on Valkey 9.1.2 even for empty slots:
    /// 500 empty slots in jobs of 128 took 0.38-0.66 s, against 0.08-0.10 s as one job
    /// (`shardtop-bench migrate --engine valkey`, README). 1024 keeps that cost small per job.
    public var atomicSlotsPerJob: Int

    public init(slotsPerRound: Int = 16, batchKeys: Int = 1000, migrateTimeoutMillis: Int = 5000,
                replaceConflicts: Bool = false, atomicSlotsPerJob: Int = 1024) {
        self.slotsPerRound = max(1, slotsPerRound)
        self.batchKeys = max(1, batchKeys)
        self.migrateTimeoutMillis = migrateTimeoutMillis
        self.replaceConflicts = replaceConflicts
        self.atomicSlotsPerJob = max(1, atomicSlotsPerJob)
    }
}
