/// What a node says about its own persistence (INFO persistence, plus the fork time from INFO
/// stats and, when the poller may ask, its `save` rules). Typed at the edge; fields a server does
/// not print stay nil, so "unknown" is never mistaken for "off".
public struct PersistenceInfo: Hashable, Sendable, Codable {
    /// How the last background job of a kind ended (`ok` / `err` on the wire).
    public enum JobStatus: String, Hashable, Sendable, Codable {
        case ok
        case failed
    }

    /// The node is loading a dataset (an RDB or AOF at start, or a full sync on a replica).
    public var loading: Bool
    /// Percent loaded so far, while loading.
    public var loadingPercent: Double?
    /// The server's own estimate of the seconds left, while loading.
    public var loadingEtaSeconds: Int?

    /// Unix time of the last successful save (RDB or the AOF base); at start, the start or load time.
    public var rdbLastSaveTime: Int64?
    /// Seconds from that save to the moment the node answered, by the node's own clock
    /// (`server_time_usec`), so a skewed clock here cannot make a save look old.
    public var rdbLastSaveAgeSeconds: Int64?
    /// Writes since that save: what a crash would lose without AOF or a replica.
    public var rdbChangesSinceLastSave: Int64?
    public var rdbBgsaveInProgress: Bool?
    public var rdbLastBgsaveStatus: JobStatus?
    /// How long the last background save took, in seconds (nil before the first one).
    public var rdbLastBgsaveSeconds: Int?
    /// Whether `save` rules are configured (CONFIG GET save is non-empty). INFO does not say;
    /// nil when the poller could not ask (no +config|get) or has not asked yet.
    public var rdbSaveConfigured: Bool?
    /// The last fork (BGSAVE, AOF rewrite, full sync) blocked the server this long, in microseconds
    /// (INFO stats `latest_fork_usec`; 0 before the first fork).
    public var latestForkMicros: Int64?

    public var aofEnabled: Bool?
    public var aofRewriteInProgress: Bool?
    /// `aof_last_write_status`: a failed write to the AOF makes the server refuse writes.
    public var aofLastWriteStatus: JobStatus?
    public var aofLastRewriteStatus: JobStatus?

    public init(loading: Bool = false) {
        self.loading = loading
    }

    /// Some form of persistence is known to be on. nil when it cannot be told (AOF off and the
    /// save rules unknown).
    public var isPersistent: Bool? {
        if aofEnabled == true { return true }
        if let rdb = rdbSaveConfigured { return rdb }
        return nil
    }
}

extension PersistenceInfo {
    private enum CodingKeys: String, CodingKey {
        case loading, loadingPercent, loadingEtaSeconds
        case rdbLastSaveTime, rdbLastSaveAgeSeconds, rdbChangesSinceLastSave, rdbBgsaveInProgress, rdbLastBgsaveStatus, rdbLastBgsaveSeconds
        case rdbSaveConfigured, latestForkMicros
        case aofEnabled, aofRewriteInProgress, aofLastWriteStatus, aofLastRewriteStatus
    }

    /// Missing values are written as null, never left out (the JSON contract's rule).
    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}

extension PersistenceInfo: JSONRepresentable {
    /// Keys are `CodingKeys`' names, which decoding reads back.
    public var jsonValue: JSONValue {
        .object([
            JSONMember("aofEnabled", JSONValue(aofEnabled)),
            JSONMember("aofLastRewriteStatus", JSONValue(aofLastRewriteStatus)),
            JSONMember("aofLastWriteStatus", JSONValue(aofLastWriteStatus)),
            JSONMember("aofRewriteInProgress", JSONValue(aofRewriteInProgress)),
            JSONMember("latestForkMicros", JSONValue(latestForkMicros)),
            JSONMember("loading", .bool(loading)),
            JSONMember("loadingEtaSeconds", JSONValue(loadingEtaSeconds)),
            JSONMember("loadingPercent", JSONValue(loadingPercent)),
            JSONMember("rdbBgsaveInProgress", JSONValue(rdbBgsaveInProgress)),
            JSONMember("rdbChangesSinceLastSave", JSONValue(rdbChangesSinceLastSave)),
            JSONMember("rdbLastBgsaveSeconds", JSONValue(rdbLastBgsaveSeconds)),
            JSONMember("rdbLastBgsaveStatus", JSONValue(rdbLastBgsaveStatus)),
            JSONMember("rdbLastSaveAgeSeconds", JSONValue(rdbLastSaveAgeSeconds)),
            JSONMember("rdbLastSaveTime", JSONValue(rdbLastSaveTime)),
            JSONMember("rdbSaveConfigured", JSONValue(rdbSaveConfigured)),
        ])
    }
}
