import ShardtopCore

/// One entry of Valkey's CLUSTER GETSLOTMIGRATIONS: an atomic slot migration job.
public struct SlotMigrationJob: Sendable, Equatable {
    public var name: String
    /// EXPORT on the source, IMPORT on the target.
    public var operation: String
    /// As the server writes them, e.g. "0-499".
    public var slotRanges: String
    /// e.g. "success", "failed", "cancelled", or a state of a job still running.
    public var state: String
    public var message: String

    /// The reply is an array of flat field/value lists (RESP2) or of maps (RESP3).
    public static func parse(_ reply: RESPValue) -> [SlotMigrationJob] {
        (reply.array ?? []).map { entry in
            var fields: [String: String] = [:]
            func text(_ value: RESPValue) -> String { value.string ?? value.int.map(String.init) ?? "" }
            switch entry {
            case .map(let pairs):
                for pair in pairs { fields[pair.key.string ?? ""] = text(pair.value) }
            default:
                let flat = entry.array ?? []
                for index in stride(from: 0, to: flat.count - 1, by: 2) { fields[flat[index].string ?? ""] = text(flat[index + 1]) }
            }
            return SlotMigrationJob(name: fields["name"] ?? "", operation: fields["operation"] ?? "", slotRanges: fields["slot_ranges"] ?? "",
                                    state: fields["state"] ?? "", message: fields["message"] ?? "")
        }
    }
}
