/// Turns an operator's request ("these slots to that node", or "N slots from A to B") into
/// migration plans over the current snapshot, and chooses the path per pair of nodes.
public enum MigrationPlanner {
    public enum PlanError: Error, Equatable, CustomStringConvertible {
        case unknownNode(String)
        case notAPrimary(String)
        case unreachable(String)
        case uncoveredSlots([SlotRange])
        case nothingToMove(String)

        public var description: String {
            switch self {
            case .unknownNode(let node): "no node \(node) in the cluster"
            case .notAPrimary(let node): "\(node) is not a primary; slots can only move between primaries"
            case .unreachable(let node): "\(node) does not answer; refusing to migrate to or from it"
            case .uncoveredSlots(let ranges): "slots \(ranges.map(\.description).joined(separator: ",")) have no owner; run `shardtop fix` first"
            case .nothingToMove(let why): "nothing to move: \(why)"
            }
        }
    }

    /// Plans for moving `ranges` to `targetId`, one per current owner. Slots the target already owns are skipped.
    /// Repeated or overlapping ranges count each slot once.
    public static func plans(_ snapshot: ClusterSnapshot, slots ranges: [SlotRange], to targetId: String) throws(PlanError) -> [MigrationPlan] {
        let target = try primary(snapshot, targetId)
        var bySource: [String: [Int]] = [:]
        var uncovered: [Int] = []
        for range in SlotRange.union(ranges) {
            for slot in range.start...range.end {
                guard let owner = snapshot.slotOwners[slot] else { uncovered.append(slot); continue }
                if owner != target.id { bySource[owner, default: []].append(slot) }
            }
        }
        if !uncovered.isEmpty { throw .uncoveredSlots(SlotRange.ranges(fromSortedSlots: uncovered.sorted())) }
        if bySource.isEmpty { throw .nothingToMove("\(target.address) already owns every slot asked for") }
        var result: [MigrationPlan] = []
        for (sourceId, slots) in bySource.sorted(by: { $0.key < $1.key }) {
            let source = try primary(snapshot, sourceId)
            result.append(plan(source: source, target: target, slots: slots.sorted()))
        }
        return result
    }

    /// `count` slots from `sourceId` to `targetId`, taken from the end of the source's ranges so the
    /// source keeps a contiguous block and the target gains one.
    public static func plan(_ snapshot: ClusterSnapshot, from sourceId: String, to targetId: String, count: Int) throws(PlanError) -> MigrationPlan {
        let source = try primary(snapshot, sourceId)
        let target = try primary(snapshot, targetId)
        guard source.id != target.id else { throw .nothingToMove("source and target are the same node") }
        let owned = (0..<hashSlotCount).filter { snapshot.slotOwners[$0] == source.id }
        guard count > 0, !owned.isEmpty else { throw .nothingToMove("\(source.address) owns no slots") }
        return plan(source: source, target: target, slots: Array(owned.suffix(count)))
    }

    public static func plan(source: SnapshotNode, target: SnapshotNode, slots: [Int]) -> MigrationPlan {
        let (path, reason) = choosePath(source: source, target: target)
        return MigrationPlan(
            sourceId: source.id, sourceAddress: source.address, targetId: target.id, targetAddress: target.address,
            slots: slots, path: path, pathReason: reason
        )
    }

    /// Atomic only when both ends have it; otherwise legacy, with the reason stated in the plan
    /// (the choice is shown before confirming, never made silently mid-way).
    public static func choosePath(source: SnapshotNode, target: SnapshotNode) -> (MigrationPath, String) {
        let lacking = [source, target].compactMap { node -> String? in
            let support = AtomicMigrationSupport.of(node)
            return support.supported ? nil : "\(node.address): \(support.reason)"
        }
        if lacking.isEmpty { return (.atomic, "both nodes support atomic slot migration (CLUSTER MIGRATESLOTS)") }
        let reasons = [source, target].map { AtomicMigrationSupport.of($0).reason }
        if reasons[0] == reasons[1] { return (.legacy, "legacy path, on both nodes: \(reasons[0])") }
        return (.legacy, "legacy path because " + lacking.joined(separator: "; "))
    }

    static func primary(_ snapshot: ClusterSnapshot, _ id: String) throws(PlanError) -> SnapshotNode {
        guard let node = snapshot.node(id: id) else { throw .unknownNode(id) }
        guard node.isPrimary else { throw .notAPrimary("\(node.address)") }
        guard node.isReachable else { throw .unreachable("\(node.address)") }
        return node
    }
}

/// Whether a node can run atomic slot migration, detected from what it reports about itself.
public struct AtomicMigrationSupport: Sendable, Hashable {
    public var supported: Bool
    public var reason: String

    public static func of(_ node: SnapshotNode) -> AtomicMigrationSupport {
        let version = ServerVersion(node.version ?? "")
        switch node.server {
        case "valkey":
            if version >= ServerVersion("9.0.0") { return .init(supported: true, reason: "valkey \(node.version ?? "?") has CLUSTER MIGRATESLOTS") }
            return .init(supported: false, reason: "valkey \(node.version ?? "?") predates atomic slot migration (9.0)")
        case "redis":
            if version >= ServerVersion("8.4.0") {
                return .init(supported: false, reason: "redis \(node.version ?? "?") has CLUSTER MIGRATION IMPORT, which this shardtop does not drive yet")
            }
            return .init(supported: false, reason: "redis \(node.version ?? "?") has no atomic slot migration (needs 8.4)")
        default:
            return .init(supported: false, reason: "server type unknown")
        }
    }
}

/// Dotted version numbers compared numerically ("9.1.2" > "9.0.10").
public struct ServerVersion: Comparable, Sendable, Hashable {
    public var parts: [Int]

    public init(_ text: String) {
        parts = text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }

    public static func < (lhs: ServerVersion, rhs: ServerVersion) -> Bool {
        for index in 0..<max(lhs.parts.count, rhs.parts.count) {
            let a = index < lhs.parts.count ? lhs.parts[index] : 0
            let b = index < rhs.parts.count ? rhs.parts[index] : 0
            if a != b { return a < b }
        }
        return false
    }
}
