/// One live node's own list of the cluster (its CLUSTER NODES), read directly rather than through
/// the snapshot's majority view: forgetting and joining are judged per viewer, because a node
/// that a single live peer still sees as connected, or that one peer has not yet learned, is the
/// exception these operations exist to catch.
public struct MembershipView: Sendable, Hashable {
    public var viewerId: String
    public var viewer: NodeAddress
    public var entries: [TopologyEntry]

    public init(viewerId: String, viewer: NodeAddress, entries: [TopologyEntry]) {
        self.viewerId = viewerId
        self.viewer = viewer
        self.entries = entries
    }

    public func entry(_ id: String) -> TopologyEntry? { entries.first { $0.id == id } }
    public func knows(_ id: String) -> Bool { entry(id) != nil }
    /// The viewer's own line (its role, and whose replica it is).
    public var myself: TopologyEntry? { entries.first { $0.flags.contains(.myself) } }
    /// Knows `id` as a full member: not still in handshake, and with an address.
    public func fullyKnows(_ id: String) -> Bool {
        guard let entry = entry(id) else { return false }
        return !entry.flags.contains(.handshake) && !entry.flags.contains(.noaddr) && entry.address != nil
    }
}
