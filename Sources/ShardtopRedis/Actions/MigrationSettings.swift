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
    /// Slots per atomic-migration job: smaller jobs give finer progress and quicker cancel.
    public var atomicSlotsPerJob: Int

    public init(slotsPerRound: Int = 16, batchKeys: Int = 1000, migrateTimeoutMillis: Int = 5000,
                replaceConflicts: Bool = false, atomicSlotsPerJob: Int = 128) {
        self.slotsPerRound = max(1, slotsPerRound)
        self.batchKeys = max(1, batchKeys)
        self.migrateTimeoutMillis = migrateTimeoutMillis
        self.replaceConflicts = replaceConflicts
        self.atomicSlotsPerJob = max(1, atomicSlotsPerJob)
    }
}
