/// What `remove-node` will do, decided over one snapshot before anything is sent.
public struct NodeRemovalPlan: Sendable, Hashable {
    public struct ReplicaMove: Sendable, Hashable {
        public var replicaId: String
        public var newPrimaryId: String
    }

    public var node: SnapshotNode
    /// Slots moved off the node first (--drain): the rebalance planner's moves from it alone.
    public var drain: RebalancePlan?
    /// Its replicas, each re-pointed at another primary (CLUSTER REPLICATE).
    public var replicaMoves: [ReplicaMove]
    /// Every other live node: each is told CLUSTER FORGET.
    public var forgetOn: [SnapshotNode]
    /// Removing the last healthy replica of a shard: typed, naming the shard.
    public var confirmation: TypedConfirmation?

    public var slotsDrained: Int { drain?.slotsMoved ?? 0 }
}

public enum NodeRemovalPlanner {
    /// The plan, or one sentence saying why removing the node is refused.
    public static func plan(_ snapshot: ClusterSnapshot, nodeId: String, drain: Bool) -> Result<NodeRemovalPlan, MembershipRefusal> {
        guard let node = snapshot.node(id: nodeId), !node.isUnknownSeed else { return .failure(MembershipRefusal("no node \(nodeId) in the cluster")) }
        guard node.isReachable, node.health != .fail else {
            return .failure(MembershipRefusal("\(node.address) does not answer from here: a dead node is removed with `shardtop forget` (or replaced with `shardtop replace`)"))
        }
        let others = snapshot.nodes.filter { !$0.isUnknownSeed && $0.id != node.id }
        let otherPrimaries = others.filter { $0.isPrimary && $0.isReachable && $0.health == .ok }
        var drainPlan: RebalancePlan?
        if node.isPrimary && node.slotCount > 0 {
            guard drain else {
                return .failure(MembershipRefusal("\(node.address) owns \(node.slotCount) slots: pass --drain to move them to the other primaries first"))
            }
            guard otherPrimaries.contains(where: { $0.slotCount > 0 }) else {
                return .failure(MembershipRefusal("\(node.address) owns \(node.slotCount) slots and no other serving primary could take them"))
            }
            // Weight 0 drains it; every other primary keeps weight 1 and takes a share by how far it
            // is below its target. Only moves off this node are kept: removing a node is not a rebalance.
            var plan = RebalancePlanner.plan(snapshot, metric: .slots, weights: [node.id: 0], threshold: 1)
            plan.moves = plan.moves.filter { $0.fromId == node.id }
            drainPlan = plan
        }
        var replicaMoves: [NodeRemovalPlan.ReplicaMove] = []
        let replicas = snapshot.replicas(of: node.id).filter { $0.isReachable }
        if node.isPrimary && !replicas.isEmpty {
            // Replicas go where they help most: the serving primaries with the fewest healthy replicas.
            // Primaries that receive slots from the drain count as serving.
            let receivers = Set(drainPlan?.moves.map(\.toId) ?? [])
            var candidates = otherPrimaries.filter { $0.slotCount > 0 || receivers.contains($0.id) }
            if candidates.isEmpty { candidates = otherPrimaries }
            guard !candidates.isEmpty else {
                return .failure(MembershipRefusal("its replica\(replicas.count == 1 ? "" : "s") \(replicas.map { "\($0.address)" }.joined(separator: ", ")) would have no other primary to follow"))
            }
            var load = Dictionary(uniqueKeysWithValues: candidates.map { primary in
                (primary.id, snapshot.replicas(of: primary.id).filter { $0.health == .ok }.count)
            })
            for replica in replicas.sorted(by: { $0.address < $1.address }) {
                let target = candidates.min { (load[$0.id]!, $0.address) < (load[$1.id]!, $1.address) }!
                load[target.id]! += 1
                replicaMoves.append(.init(replicaId: replica.id, newPrimaryId: target.id))
            }
        }
        var confirmation: TypedConfirmation?
        if !node.isPrimary, let primaryId = node.primaryId, let primary = snapshot.node(id: primaryId), primary.slotCount > 0 {
            let healthy = snapshot.replicas(of: primaryId).filter { $0.health == .ok && $0.primaryLinkStatus != "down" && $0.isReachable }
            if healthy.map(\.id) == [node.id] {
                confirmation = TypedConfirmation(
                    warning: "\(node.address) is the last healthy replica of the shard of \(primary.address) (\(primary.slotCount) slots): without it, one more fault loses those slots",
                    expected: "remove the last replica of \(primary.address)"
                )
            }
        }
        let forgetOn = others.filter { $0.isReachable }.sorted { $0.address < $1.address }
        return .success(NodeRemovalPlan(node: node, drain: drainPlan, replicaMoves: replicaMoves, forgetOn: forgetOn, confirmation: confirmation))
    }
}

/// Why a membership change is refused, as one sentence.
public struct MembershipRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Which primary a replacement for a dead node should follow.
public enum ReplacementPlanner {
    /// A dead replica's own primary; a dead primary that lost its slots (failed over) leaves its
    /// shard short of a replica, and the serving primary with the fewest healthy replicas is the best
    /// guess of which one (the cluster does not record who took over from whom).
    public static func primary(for ghost: Ghost, snapshot: ClusterSnapshot) -> Result<SnapshotNode, MembershipRefusal> {
        if let primaryId = ghost.primaryId {
            guard let primary = snapshot.node(id: primaryId), primary.isPrimary, primary.isReachable else {
                return .failure(MembershipRefusal("its primary \(primaryId.prefix(8)) is not a live primary; nothing to replicate"))
            }
            return .success(primary)
        }
        let serving = snapshot.primaries.filter { $0.slotCount > 0 && $0.isReachable && $0.health == .ok }
        guard let best = serving.min(by: { a, b in
            let (ra, rb) = (snapshot.replicas(of: a.id).filter { $0.health == .ok }.count, snapshot.replicas(of: b.id).filter { $0.health == .ok }.count)
            return (ra, a.address) < (rb, b.address)
        }) else { return .failure(MembershipRefusal("no serving primary to replicate")) }
        return .success(best)
    }
}
