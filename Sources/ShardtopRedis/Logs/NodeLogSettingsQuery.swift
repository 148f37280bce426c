import ShardtopCore

/// Asks a node where it logs (CONFIG GET logfile / dir): the connector's half of choosing a log
/// source; the choice itself (ShardtopLogs' LogSourceSelector) needs no Redis code.
public enum NodeLogSettingsQuery {
    public static func ask(_ client: NodeClient) async -> Result<NodeLogSettings, ConfigGetError> {
        do {
            let replies = try await client.send([["CONFIG", "GET", "logfile"], ["CONFIG", "GET", "dir"]])
            return .success(NodeLogSettings(logfile: configValue(replies[0]), dir: configValue(replies[1])))
        } catch {
            return .failure(ConfigGetError(message: sanitizedForDisplay(String(describing: error))))
        }
    }

    /// CONFIG GET answers [name, value] (RESP2) or a one-entry map (RESP3); an error reply (ACL
    /// denies config|get, or the command is renamed away) is kept as the reason.
    static func configValue(_ reply: RESPValue) -> Result<String, ConfigGetError> {
        if let error = reply.errorMessage { return .failure(ConfigGetError(message: sanitizedForDisplay(error))) }
        if case .map(let pairs) = reply, let value = pairs.first?.value.string { return .success(value) }
        if let items = reply.array, items.count >= 2, let value = items[1].string { return .success(value) }
        return .failure(ConfigGetError(message: "unexpected reply"))
    }
}
