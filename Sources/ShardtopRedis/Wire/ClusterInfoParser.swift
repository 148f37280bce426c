import ShardtopCore

/// CLUSTER INFO is advisory next to CLUSTER NODES, so a short or odd reply degrades to
/// defaults instead of failing the whole poll.
public enum ClusterInfoParser {
    public static func parse(_ text: String) -> ClusterInfoReport {
        parse(InfoFields(text))
    }

    /// The reply's bytes as they came off the wire.
    public static func parse(bytes: [UInt8]) -> ClusterInfoReport {
        parse(InfoFields(bytes: bytes))
    }

    private static func parse(_ fields: InfoFields) -> ClusterInfoReport {
        func int(_ key: String) -> Int { fields.int(key) ?? 0 }
        func int64(_ key: String) -> Int64 { fields.int64(key) ?? 0 }

        return ClusterInfoReport(
            state: fields.string("cluster_state") ?? "unknown",
            slotsAssigned: int("cluster_slots_assigned"),
            slotsOK: int("cluster_slots_ok"),
            slotsPFail: int("cluster_slots_pfail"),
            slotsFail: int("cluster_slots_fail"),
            knownNodes: int("cluster_known_nodes"),
            size: int("cluster_size"),
            currentEpoch: int64("cluster_current_epoch"),
            myEpoch: int64("cluster_my_epoch")
        )
    }
}
