import ShardtopCore

/// Asks a node where it logs (CONFIG GET logfile / dir): the connector's half of choosing a log
/// source; the choice itself (ShardtopLogs' LogSourceSelector) needs no Redis code.
public enum NodeLogSettingsQuery {
    public static func ask(_ client: NodeClient) async -> Result<NodeLogSettings, ConfigGetError> {
        do {
            let replies = try await client.send([["CONFIG", "GET", "logfile"], ["CONFIG", "GET", "dir"]])
            return .success(NodeLogSettings(logfile: ConfigGetReply.value(replies[0]), dir: ConfigGetReply.value(replies[1])))
        } catch {
            return .failure(ConfigGetError(message: sanitizedForDisplay(String(describing: error))))
        }
    }
}
