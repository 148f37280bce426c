/// Tuning and safety switches for one migration run.
public struct MigrationSettings: Sendable {
    /// Slots opened, drained and finalised together. Bigger rounds mean fewer round trips; smaller
    /// rounds mean fewer slots open at any moment (what `fix` would face after a crash).
    /// nil: sized from the plan's key count (`slotsPerRound(keys:slots:)`).
    public var slotsPerRound: Int?
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

    public init(slotsPerRound: Int? = nil, batchKeys: Int = 1000, migrateTimeoutMillis: Int = 5000,
                replaceConflicts: Bool = false, atomicSlotsPerJob: Int = 1024) {
        self.slotsPerRound = slotsPerRound.map { max(1, $0) }
        self.batchKeys = max(1, batchKeys)
        self.migrateTimeoutMillis = migrateTimeoutMillis
        self.replaceConflicts = replaceConflicts
        self.atomicSlotsPerJob = max(1, atomicSlotsPerJob)
    }

    /// Keys a round of the automatic size aims at.
    public static let keysPerRound = 10_000
    public static let automaticSlotsPerRound = 16...256

    /// The round size used for a plan of `slots` slots holding `keys` keys (nil: not counted).
    ///
    /// Every round pays fixed costs on the servers besides its MIGRATEs: the finalise checks, and
    /// SETSLOT NODE on the target, which bumps its config epoch and fsyncs nodes.conf (about 3 ms
    /// on this machine's disk). At 16 slots a round, 500 slots of 160 keys took 32 rounds whose
    /// fixed part was about half the move. Rounds of about 10,000 keys keep that part small for
    /// light slots, while heavy slots keep 16 a round, which keeps 16 MIGRATEs in each pipelined
    /// pass (fewer would mean more round trips per key).
    public func slotsPerRound(keys: Int?, slots: Int) -> Int {
        if let slotsPerRound { return slotsPerRound }
        guard let keys, slots > 0 else { return Self.automaticSlotsPerRound.lowerBound }
        let perSlot = max(1, keys / slots)
        return min(max(Self.keysPerRound / perSlot, Self.automaticSlotsPerRound.lowerBound), Self.automaticSlotsPerRound.upperBound)
    }
}
