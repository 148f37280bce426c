import ShardtopCore
import ShardtopLogs
import ShardtopRedis

/// Where the log sources (ShardtopLogs) meet the connector: the node is asked where it logs only
/// when the selector needs to know, and the RESP fallback is the connector's own source.
extension LogSourceSelector {
    /// `hostname` is the one the node announces, if any.
    public func choose(for address: NodeAddress, id: String, hostname: String? = nil, client: NodeClient) async -> LogSourceChoice {
        let settings = needsNodeSettings(for: address) ? await NodeLogSettingsQuery.ask(client) : nil
        return decide(address: address, id: id, hostname: hostname, config: settings)
    }
}

extension LogSourceChoice {
    /// The source for this choice. `lines` is how much history to show first; with
    /// `follow == false` a command source stops after a second without output.
    public func makeSource(client: NodeClient, lines: Int, follow: Bool, parser: LogLineParser) -> any LogSource {
        switch self {
        case .command(let arguments):
            return CommandLogSource(arguments: arguments, parser: parser, idleTimeout: follow ? nil : .seconds(1))
        case .file(let path):
            return FileTailSource(path: path, lines: lines, follow: follow, parser: parser)
        case .fallback(let reason):
            return FallbackLogSource(client: client, reason: reason, count: min(lines, 128), follow: follow)
        }
    }
}
