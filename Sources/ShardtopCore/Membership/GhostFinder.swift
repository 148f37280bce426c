/// A node the cluster still lists but that is gone: every live node that knows it sees it as
/// failed or without an address, none has a connected bus link to it, and it serves no slot.
/// Such entries stay forever (the cluster never drops a node by itself) and keep a warning up.
public struct Ghost: Sendable, Hashable {
    public var id: String
    public var address: NodeAddress?
    /// Whose replica it was, in the first view that names a primary.
    public var primaryId: String?
    public var wasPrimary: Bool
    /// How many live nodes still list it.
    public var knownBy: Int

    public init(id: String, address: NodeAddress?, primaryId: String?, wasPrimary: Bool, knownBy: Int) {
        self.id = id
        self.address = address
        self.primaryId = primaryId
        self.wasPrimary = wasPrimary
        self.knownBy = knownBy
    }

    public var label: String { "\(address.map { "\($0)" } ?? "(no address)") \(id.prefix(8))" }
}

/// Decides which nodes may be forgotten. Pure: the views are read by the caller, right before acting.
public enum GhostFinder {
    /// Every node some live node lists that passes `refusal`.
    public static func ghosts(_ views: [MembershipView]) -> [Ghost] {
        suspects(views).filter { $0.refusal == nil }.map(\.ghost)
    }

    /// A node that looks gone, and why it may not be forgotten yet (nil: it is a ghost).
    public struct Suspect: Sendable, Hashable {
        public var ghost: Ghost
        public var refusal: String?
    }

    /// Every node that did not answer itself and that some live node lists as failed, suspected
    /// (pfail) or without an address: the ghosts, and the nodes `forget` must name rather than
    /// pass over in silence (a node just killed, still only suspected; a paused one whose bus link
    /// is still up). Every ghost is one of them: a ghost is failed or without an address everywhere.
    public static func suspects(_ views: [MembershipView]) -> [Suspect] {
        let answered = Set(views.map(\.viewerId))
        var seen = Set<String>()
        var result: [Suspect] = []
        for view in views {
            for entry in view.entries where !entry.flags.contains(.myself) && !answered.contains(entry.id) && seen.insert(entry.id).inserted {
                let looksGone = views.contains { other in
                    guard let flags = other.entry(entry.id)?.flags else { return false }
                    return flags.contains(.fail) || flags.contains(.pfail) || flags.contains(.noaddr)
                }
                guard looksGone, let ghost = ghost(entry.id, views: views) else { continue }
                result.append(Suspect(ghost: ghost, refusal: refusal(entry.id, views: views)))
            }
        }
        return result.sorted { ($0.ghost.address?.description ?? "", $0.ghost.id) < ($1.ghost.address?.description ?? "", $1.ghost.id) }
    }

    /// The node as the live views describe it, or nil when none lists it.
    public static func ghost(_ id: String, views: [MembershipView]) -> Ghost? {
        let entries = views.compactMap { $0.entry(id) }
        guard let first = entries.first else { return nil }
        return Ghost(
            id: id, address: entries.lazy.compactMap(\.address).first, primaryId: entries.lazy.compactMap(\.primaryID).first,
            wasPrimary: first.role == .primary, knownBy: entries.count
        )
    }

    /// Why `id` must not be forgotten, or nil when it is a ghost. `acceptsConnections` is what a TCP
    /// connection from here found (nil when not tried): a paused process still accepts them, a dead
    /// one does not.
    public static func refusal(_ id: String, views: [MembershipView], acceptsConnections: Bool? = nil) -> String? {
        guard !views.isEmpty else { return "no live node answered, so nobody could be asked about it" }
        if let own = views.first(where: { $0.viewerId == id }) {
            return "it answers at \(own.viewer) (a live node): remove it with `shardtop remove-node`"
        }
        let knowers = views.filter { $0.knows(id) }
        guard !knowers.isEmpty else { return "no live node lists it (already forgotten everywhere)" }
        for view in knowers {
            let entry = view.entry(id)!
            if !entry.flags.contains(.fail) && !entry.flags.contains(.noaddr) {
                let state = entry.flags.contains(.pfail)
                    ? "only suspected (pfail): wait until the cluster marks it failed (cluster-node-timeout)"
                    : entry.flags.contains(.handshake) ? "in handshake (joining)" : "healthy"
                return "\(view.viewer) sees it as \(state)"
            }
        }
        if let view = knowers.first(where: { $0.entry(id)!.linkConnected }) {
            return "\(view.viewer) still has a connected cluster-bus link to it (a hung or paused process, not a dead one)"
        }
        if let view = knowers.first(where: { !$0.entry(id)!.slots.isEmpty }) {
            let count = SlotRange.total(view.entry(id)!.slots)
            return "it still owns \(count) slot\(count == 1 ? "" : "s") in \(view.viewer)'s view: fail it over or move them first"
        }
        if let view = views.first(where: { $0.myself?.primaryID == id }) {
            return "\(view.viewer) still replicates from it"
        }
        if acceptsConnections == true {
            let address = knowers.lazy.compactMap { $0.entry(id)!.address }.first.map { "\($0)" } ?? "its address"
            return "it still accepts connections at \(address) (a paused or hung process, not a dead one)"
        }
        return nil
    }

    /// Live nodes that still list any of `ids`: where FORGET must (still) go.
    public static func stillListing(_ ids: Set<String>, views: [MembershipView]) -> [MembershipView] {
        views.filter { view in ids.contains { view.knows($0) } }
    }
}
