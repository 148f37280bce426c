/// The few INFO fields a backup follows (persistence, replication, keyspace), parsed at the
/// edge. Kept apart from ServerInfoParser on purpose: the poller's parser serves the screens,
/// this one only the backup and restore drill, and a missing field is nil, never a guess.
public struct BackupInfo: Sendable, Equatable {
    public var bgsaveInProgress: Bool?
    /// "ok" or "err".
    public var lastBgsaveStatus: String?
    /// rdb_last_save_time: seconds since 1970 of the last successful save.
    public var lastSaveTime: Int64?
    /// "master" or "slave".
    public var role: String?
    /// A primary's master_repl_offset.
    public var primaryOffset: Int64?
    /// A replica's slave_repl_offset: what it has applied (its master_repl_offset is what it received).
    public var replicaOffset: Int64?
    public var primaryLinkUp: Bool?
    /// Keys over every database (cluster mode has only db0).
    public var keys: Int64

    /// The offset that describes the node's data: applied offset on a replica, own on a primary.
    public var dataOffset: Int64? { role == "slave" ? replicaOffset ?? primaryOffset : primaryOffset }
}

public enum BackupInfoParser {
    /// Lines end in CRLF on the wire; Swift reads "\r\n" as one Character, hence isNewline.
    public static func parse(_ text: String) -> BackupInfo {
        var fields: [Substring: Substring] = [:]
        var keys: Int64 = 0
        for rawLine in text.split(whereSeparator: \.isNewline) {
            guard !rawLine.hasPrefix("#"), let colon = rawLine.firstIndex(of: ":") else { continue }
            let key = rawLine[..<colon]
            let value = rawLine[rawLine.index(after: colon)...]
            if key.hasPrefix("db"), Int(key.dropFirst(2)) != nil {
                for part in value.split(separator: ",") where part.hasPrefix("keys=") {
                    if let count = Int64(part.dropFirst(5)), count >= 0 {
                        let (sum, overflow) = keys.addingReportingOverflow(count)
                        keys = overflow ? .max : sum
                    }
                }
                continue
            }
            if fields[key] == nil { fields[key] = value }
        }
        func int64(_ name: String) -> Int64? { fields[Substring(name)].flatMap { Int64($0) } }
        var info = BackupInfo(keys: keys)
        info.bgsaveInProgress = fields["rdb_bgsave_in_progress"].map { $0 == "1" }
        info.lastBgsaveStatus = fields["rdb_last_bgsave_status"].map(String.init)
        info.lastSaveTime = int64("rdb_last_save_time")
        info.role = fields["role"].map(String.init)
        info.primaryOffset = int64("master_repl_offset")
        info.replicaOffset = int64("slave_repl_offset")
        info.primaryLinkUp = fields["master_link_status"].map { $0 == "up" }
        return info
    }
}
