import ShardtopCore

/// What INFO's `server` section tells the poller, which cannot change while one connection lasts:
/// the server's name and version (a restart, the only way to change them, ends the connection).
///
/// The section is asked on each new connection and carried on the ones after it, with the uptime
/// advanced by the time since it was read. Leaving it out of the steady ticks' INFO saves the
/// server about 3 us and the poller about 25 of the reply's 200 lines per node and tick (issue 12:
/// a warm tick of 30 nodes took 2.75 ms against 2.95 ms, medians of nine runs in alternation).
struct ServerIdentity: Sendable, Equatable {
    var serverName: String
    var version: String
    var uptimeSeconds: Int64?
    /// Unix seconds when the section was read.
    var readAt: Double
    /// The client's connection it was read on (`NodeClient.connectionsOpened`): only that
    /// connection's polls leave the section out.
    var connection: Int

    init(_ info: ServerInfo, readAt: Double, connection: Int) {
        serverName = info.serverName
        version = info.version
        uptimeSeconds = info.uptimeSeconds
        self.readAt = readAt
        self.connection = connection
    }

    /// `info`, read without the server section, completed from this identity at `now`.
    func completing(_ info: ServerInfo, now: Double) -> ServerInfo {
        var info = info
        info.serverName = serverName
        info.version = version
        info.uptimeSeconds = uptimeSeconds.map { $0 + Int64(max(0, now - readAt)) }
        return info
    }
}
