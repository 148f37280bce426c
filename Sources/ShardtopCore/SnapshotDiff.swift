/// Compares two snapshots and names what changed. Pure, so the same diff drives the dashboard's
/// timeline, recordings and tests.
public enum SnapshotDiff {
    public static func events(from old: ClusterSnapshot, to new: ClusterSnapshot, lag: LagThresholds = .default) -> [ClusterEvent] {
        var events: [ClusterEvent] = []
        let time = new.time
        func add(_ kind: ClusterEvent.Kind, _ severity: ClusterEvent.Severity, _ node: String?, _ message: String) {
            events.append(ClusterEvent(time: time, kind: kind, severity: severity, node: node, message: message))
        }

        if old.state != new.state {
            add(.clusterStateChanged, new.state == "ok" ? .info : .error, nil, "cluster state \(old.state) -> \(new.state)")
        }

        // Built only when nodes came or went, slots moved or migrations opened or closed: on a
        // quiet tick the nodes are last tick's, in the same order, and pair up by position.
        lazy var oldByID = Dictionary(old.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        lazy var newByID = Dictionary(new.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        let sameNodes = old.nodes.count == new.nodes.count && old.nodes.indices.allSatisfy { old.nodes[$0].id == new.nodes[$0].id }
        if sameNodes {
            for position in new.nodes.indices {
                nodeEvents(before: old.nodes[position], after: new.nodes[position], lag: lag, add: add)
            }
        } else {
            for node in new.nodes where oldByID[node.id] == nil {
                add(.nodeJoined, .info, node.id, "\(label(node)) joined as \(node.role.rawValue)")
            }
            for node in old.nodes where newByID[node.id] == nil {
                add(.nodeLeft, .warning, node.id, "\(label(node)) left the cluster")
            }
            for node in new.nodes {
                guard let before = oldByID[node.id] else { continue }
                nodeEvents(before: before, after: node, lag: lag, add: add)
            }
        }

        if old.slotOwners != new.slotOwners {
            events += slotMoves(old: old, new: new, oldByID: oldByID, newByID: newByID)
        }
        if old.openSlots != new.openSlots {
            events += migrationChanges(old: old, new: new, newByID: newByID, oldByID: oldByID)
        }
        return events
    }

    private static func nodeEvents(
        before: SnapshotNode, after: SnapshotNode, lag: LagThresholds,
        add: (ClusterEvent.Kind, ClusterEvent.Severity, String?, String) -> Void
    ) {
        // Worked out only when there is an event to word: on a quiet tick (nearly every tick) no
        // node has one, and the label's text was most of the diff (issue 12).
        var name: String { label(after) }
        // From whether it answered, not from `health`: a cluster FAIL verdict outranks
        // unreachable in `health`, yet the node is still silent.
        let wasReachable = before.isReachable
        let isReachable = after.isReachable
        if wasReachable && !isReachable {
            add(.nodeUnreachable, .error, after.id, "\(name) unreachable from here: \(after.error ?? "no answer")")
        } else if !wasReachable && isReachable {
            add(.nodeReachable, .info, after.id, "\(name) answers again")
        }

        // The cluster's own verdicts, apart from our reachability: they lag ours by a node timeout or more.
        let oldFlags = before.flags == after.flags ? [] : Set(before.flags).intersection(clusterFlags)
        let newFlags = before.flags == after.flags ? [] : Set(after.flags).intersection(clusterFlags)
        if oldFlags != newFlags {
            let gained = newFlags.subtracting(oldFlags).sorted()
            let lost = oldFlags.subtracting(newFlags).sorted()
            var parts: [String] = []
            if !gained.isEmpty { parts.append("cluster flags it \(gained.joined(separator: ","))") }
            if !lost.isEmpty { parts.append("cleared \(lost.joined(separator: ","))") }
            let severity: ClusterEvent.Severity = newFlags.contains("fail") ? .error : gained.isEmpty ? .info : .warning
            add(.healthChanged, severity, after.id, "\(name) \(parts.joined(separator: "; "))")
        }
        if (before.health == .loading) != (after.health == .loading) {
            add(.healthChanged, .info, after.id, after.health == .loading ? "\(name) is loading its dataset" : "\(name) finished loading")
        }

        if before.role != after.role {
            let message = after.role == .primary
                ? "\(name) promoted to primary (failover)"
                : "\(name) became a replica of \(short(after.primaryId))"
            add(.roleChanged, .warning, after.id, message)
        } else if after.role == .replica, before.primaryId != after.primaryId {
            add(.roleChanged, .warning, after.id, "\(name) now replicates \(short(after.primaryId)) (was \(short(before.primaryId)))")
        }

        if after.role == .replica, before.role == .replica, let status = after.primaryLinkStatus,
           let oldStatus = before.primaryLinkStatus, status != oldStatus {
            if status == "down" {
                add(.replicaLinkDown, .error, after.id, "\(name) lost its link to primary \(short(after.primaryId))")
            } else {
                add(.replicaLinkUp, .info, after.id, "\(name) link to primary \(short(after.primaryId)) is up")
            }
        }

        if after.role == .replica {
            let was = lag.isLagging(before)
            let isNow = lag.isLagging(after)
            if !was && isNow {
                add(.lagAboveThreshold, .warning, after.id, "\(name) lags \(lagText(after))")
            } else if was && !isNow && after.lagBytes != nil {
                add(.lagBelowThreshold, .info, after.id, "\(name) caught up (\(lagText(after)))")
            }
        }
    }

    /// The flags that are the cluster's own verdicts on a node (the others name its role).
    private static let clusterFlags: Set<String> = ["pfail", "fail", "handshake", "noaddr"]

    private static func slotMoves(
        old: ClusterSnapshot, new: ClusterSnapshot,
        oldByID: [String: SnapshotNode], newByID: [String: SnapshotNode]
    ) -> [ClusterEvent] {
        guard old.slotOwners.count == hashSlotCount, new.slotOwners.count == hashSlotCount else { return [] }
        // Most ticks reuse the last table as is (see `MajorityView`), and arrays sharing storage
        // compare equal at once: no walk over 16,384 slots on a tick where nothing moved.
        if old.slotOwners == new.slotOwners { return [] }
        struct Move: Hashable { var from: String?; var to: String? }
        var slotsByMove: [Move: [Int]] = [:]
        for slot in 0..<hashSlotCount where old.slotOwners[slot] != new.slotOwners[slot] {
            slotsByMove[Move(from: old.slotOwners[slot], to: new.slotOwners[slot]), default: []].append(slot)
        }
        return slotsByMove.sorted { ($0.value.first ?? 0) < ($1.value.first ?? 0) }.map { move, slots in
            let ranges = SlotRange.ranges(fromSortedSlots: slots)
            let text = describe(ranges)
            let from = move.from.map { label(oldByID[$0], fallback: $0) } ?? "nobody"
            let to = move.to.map { label(newByID[$0], fallback: $0) } ?? "nobody"
            let severity: ClusterEvent.Severity = move.to == nil ? .error : .info
            return ClusterEvent(
                time: new.time, kind: .slotsMoved, severity: severity, node: move.to ?? move.from,
                message: "\(slots.count) slot\(slots.count == 1 ? "" : "s") (\(text)) moved from \(from) to \(to)"
            )
        }
    }

    private static func migrationChanges(
        old: ClusterSnapshot, new: ClusterSnapshot,
        newByID: [String: SnapshotNode], oldByID: [String: SnapshotNode]
    ) -> [ClusterEvent] {
        let before = Set(old.openSlots)
        let after = Set(new.openSlots)
        var events: [ClusterEvent] = []
        // One event per node, peer and direction, with the slots as ranges: a migration of 3000
        // slots would otherwise put thousands of lines on the timeline.
        for group in grouped(after.subtracting(before)) {
            let node = label(newByID[group.node], fallback: group.node)
            let peer = label(newByID[group.peer], fallback: group.peer)
            let slots = slotsText(group.slots)
            let text = group.state == .migrating ? "\(slots) migrating from \(node) to \(peer)"
                                                 : "\(slots) importing into \(node) from \(peer)"
            events.append(ClusterEvent(time: new.time, kind: .migrationOpened, severity: .warning, node: group.node, message: text))
        }
        for group in grouped(before.subtracting(after)) {
            let node = label(oldByID[group.node], fallback: group.node)
            events.append(ClusterEvent(
                time: new.time, kind: .migrationClosed, severity: .info, node: group.node,
                message: "\(slotsText(group.slots)) no longer \(group.state.rawValue) on \(node)"
            ))
        }
        return events
    }

    private struct OpenSlotGroup {
        var node: String
        var peer: String
        var state: OpenSlotMark.Direction
        var slots: [Int]
    }

    /// Open slots grouped by node, peer and direction, in order of their first slot.
    private static func grouped(_ slots: Set<OpenSlot>) -> [OpenSlotGroup] {
        var groups: [String: OpenSlotGroup] = [:]
        for slot in slots.sorted(by: { $0.slot < $1.slot }) {
            let key = "\(slot.node) \(slot.peer) \(slot.state.rawValue)"
            groups[key, default: OpenSlotGroup(node: slot.node, peer: slot.peer, state: slot.state, slots: [])].slots.append(slot.slot)
        }
        return groups.values.sorted { ($0.slots[0], $0.node) < ($1.slots[0], $1.node) }
    }

    /// "slot 5", or "slots 0-15" / "slots 0-15,20" for several.
    private static func slotsText(_ slots: [Int]) -> String {
        slots.count == 1 ? "slot \(slots[0])" : "slots \(describe(SlotRange.ranges(fromSortedSlots: slots)))"
    }

    // MARK: - Wording

    static func label(_ node: SnapshotNode) -> String { "\(node.address) (\(short(node.id)))" }

    static func label(_ node: SnapshotNode?, fallback id: String) -> String {
        node.map(label) ?? short(id)
    }

    /// The first 8 characters of a node id, as operators quote them.
    public static func short(_ id: String?) -> String {
        guard let id else { return "-" }
        return String(id.prefix(8))
    }

    public static func describe(_ ranges: [SlotRange]) -> String {
        let shown = ranges.prefix(4).map(\.description).joined(separator: ",")
        return ranges.count > 4 ? shown + ",..." : shown
    }

    static func lagText(_ node: SnapshotNode) -> String {
        let bytes = node.lagBytes.map { "\($0) B" } ?? "? B"
        let seconds = node.lagSeconds.map { "\($0) s" } ?? "? s"
        return "\(bytes), \(seconds)"
    }
}
