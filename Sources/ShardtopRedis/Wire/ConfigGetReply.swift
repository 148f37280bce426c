import ShardtopCore

/// One CONFIG GET reply read at the edge: the value, or why there is none.
public enum ConfigGetReply {
    /// CONFIG GET answers [name, value] (RESP2) or a one-entry map (RESP3); an error reply (ACL
    /// denies config|get, or the command is renamed away) is kept as the reason.
    public static func value(_ reply: RESPValue) -> Result<String, ConfigGetError> {
        if let error = reply.errorMessage { return .failure(ConfigGetError(message: sanitizedForDisplay(error))) }
        if case .map(let pairs) = reply, let value = pairs.first?.value.string { return .success(value) }
        if let items = reply.array, items.count >= 2, let value = items[1].string { return .success(value) }
        return .failure(ConfigGetError(message: "unexpected reply"))
    }
}
