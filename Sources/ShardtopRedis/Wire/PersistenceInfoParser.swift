import ShardtopCore

/// The persistence fields of an INFO reply (sections persistence and stats), typed.
/// Lenient like the rest of INFO: a field missing or in an unknown form stays nil.
enum PersistenceInfoParser {
    /// Every key `parse` reads (see `InfoKeys`).
    static let keys = [
        "loading", "loading_loaded_perc", "loading_eta_seconds", "rdb_last_save_time", "server_time_usec",
        "rdb_changes_since_last_save", "rdb_bgsave_in_progress", "rdb_last_bgsave_status", "rdb_last_bgsave_time_sec",
        "latest_fork_usec", "aof_enabled", "aof_rewrite_in_progress", "aof_last_write_status", "aof_last_bgrewrite_status",
    ]

    static func parse(_ fields: InfoFields) -> PersistenceInfo {
        var info = PersistenceInfo(loading: fields.string("loading") == "1")
        if info.loading {
            info.loadingPercent = fields.double("loading_loaded_perc")
            info.loadingEtaSeconds = nonNegative(fields.int("loading_eta_seconds"))
        }
        info.rdbLastSaveTime = fields.int64("rdb_last_save_time")
        if let saved = info.rdbLastSaveTime, let micros = fields.int64("server_time_usec") {
            // A hostile reply must not trap on overflow.
            let (age, overflow) = (micros / 1_000_000).subtractingReportingOverflow(saved)
            info.rdbLastSaveAgeSeconds = overflow ? nil : max(0, age)
        }
        info.rdbChangesSinceLastSave = fields.int64("rdb_changes_since_last_save").flatMap { $0 < 0 ? nil : $0 }
        info.rdbBgsaveInProgress = flag(fields.string("rdb_bgsave_in_progress"))
        info.rdbLastBgsaveStatus = status(fields.string("rdb_last_bgsave_status"))
        // -1 means "no background save yet", not a duration.
        info.rdbLastBgsaveSeconds = nonNegative(fields.int("rdb_last_bgsave_time_sec"))
        info.latestForkMicros = fields.int64("latest_fork_usec").flatMap { $0 < 0 ? nil : $0 }
        info.aofEnabled = flag(fields.string("aof_enabled"))
        info.aofRewriteInProgress = flag(fields.string("aof_rewrite_in_progress"))
        info.aofLastWriteStatus = status(fields.string("aof_last_write_status"))
        info.aofLastRewriteStatus = status(fields.string("aof_last_bgrewrite_status"))
        return info
    }

    private static func flag(_ text: String?) -> Bool? {
        switch text {
        case "1": true
        case "0": false
        default: nil
        }
    }

    private static func status(_ text: String?) -> PersistenceInfo.JobStatus? {
        switch text {
        case "ok": .ok
        case "err": .failed
        default: nil
        }
    }

    private static func nonNegative(_ value: Int?) -> Int? { value.flatMap { $0 < 0 ? nil : $0 } }
}
