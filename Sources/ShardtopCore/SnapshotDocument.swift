/// The JSON contract of `shardtop snapshot --json`: the same values the dashboard shows.
/// Field names are part of the interface; scripts depend on them. Absent values are written as null.
public struct SnapshotDocument: Sendable {
    public var time: Double
    public var state: String
    public var slotsCovered: Int
    public var uncoveredSlots: [SlotRange]
    public var currentEpoch: Int64
    public var nodes: [SnapshotNode]
    public var shards: [Shard]
    public var openSlots: [OpenSlot]
    public var disagreeingNodes: [String]
    public var findings: [Finding]

    public init(snapshot: ClusterSnapshot, findings: [Finding]) {
        time = snapshot.time
        state = snapshot.state
        slotsCovered = snapshot.slotsCovered
        uncoveredSlots = snapshot.uncoveredSlots
        currentEpoch = snapshot.currentEpoch
        nodes = snapshot.nodes
        shards = snapshot.shards
        openSlots = snapshot.openSlots
        disagreeingNodes = snapshot.disagreeingNodes
        self.findings = findings
    }

    /// The document as `snapshot --json` prints it (see `JSONText`).
    public var prettyJSON: [UInt8] { JSONText.pretty(jsonValue) }
}

extension SnapshotDocument: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object([
            JSONMember("currentEpoch", .int(currentEpoch)),
            JSONMember("disagreeingNodes", JSONValue(disagreeingNodes)),
            JSONMember("findings", JSONValue(findings)),
            JSONMember("nodes", JSONValue(nodes)),
            JSONMember("openSlots", JSONValue(openSlots)),
            JSONMember("shards", JSONValue(shards)),
            JSONMember("slotsCovered", .int(Int64(slotsCovered))),
            JSONMember("state", .string(state)),
            JSONMember("time", .double(time)),
            JSONMember("uncoveredSlots", JSONValue(uncoveredSlots)),
        ])
    }
}
