/// What the nodes themselves say about a failover, asked directly once a snapshot shows the flip.
///
/// One snapshot is not enough: a replica that wins its election reports itself primary at once,
/// yet it can be a replica again a moment later when another node claims its slots with a higher
/// config epoch (seen while failing one pair over and back every 2 s: "Failover election won",
/// then "Reconfiguring myself as a replica" 0.3 s later). So the flip counts only when the
/// candidate's own role (INFO replication) says master, its config epoch beats every other claim on its slots, and a
/// majority of the primaries that vote on it (the electorate) already see it that way.
public struct FailoverConfirmation: Sendable, Hashable {
    /// When the answers were gathered (seconds since the Unix epoch).
    public var time: Double
    /// The candidate's own role (INFO replication); nil when it did not answer.
    public var role: NodeRole?
    /// CLUSTER NODES by the id of the node that gave it: the candidate's own and each electorate
    /// member's that answered.
    public var views: [String: [TopologyEntry]]

    public init(time: Double, role: NodeRole?, views: [String: [TopologyEntry]]) {
        self.time = time
        self.role = role
        self.views = views
    }

    public enum Verdict: Sendable, Hashable {
        case settled
        /// Not (yet) a stable primary, and why.
        case unsettled(String)
    }

    /// The rule. `electorate`: ids of the primaries that served slots when the failover was sent
    /// (the old primary included, the candidate not).
    public func verdict(candidateId: String, electorate: [String]) -> Verdict {
        guard let role else { return .unsettled("the replica did not say its own role") }
        guard role == .primary else { return .unsettled("it still calls itself a replica") }
        guard let own = views[candidateId]?.first(where: { $0.id == candidateId && $0.flags.contains(.myself) }) else {
            return .unsettled("its own CLUSTER NODES did not answer")
        }
        guard own.role == .primary else { return .unsettled("its own CLUSTER NODES still says replica") }
        let epoch = own.configEpoch
        let slots = SlotSet(own.slots)

        // A rival claim with an epoch at least as high wins the slots back (or collides).
        for (viewer, entries) in views.sorted(by: { $0.key < $1.key }) {
            for entry in entries where entry.id != candidateId && entry.role == .primary && entry.configEpoch >= epoch {
                if let slot = slots.firstShared(with: entry.slots) {
                    return .unsettled("\(entry.id.prefix(8)) claims slot \(slot) with config epoch \(entry.configEpoch) >= \(epoch) (as \(viewer.prefix(8)) sees it)")
                }
            }
        }

        let agreeing = electorate.filter { voter in
            guard let line = views[voter]?.first(where: { $0.id == candidateId }) else { return false }
            return line.role == .primary && line.configEpoch == epoch && slots.isCovered(by: line.slots)
        }
        guard agreeing.count * 2 > electorate.count else {
            return .unsettled("\(agreeing.count) of \(electorate.count) voting primaries see it as primary with config epoch \(epoch); a majority is needed")
        }
        return .settled
    }
}

/// The few slot questions the rule asks, without expanding 16384-slot sets per line.
private struct SlotSet {
    let ranges: [SlotRange]

    init(_ ranges: [SlotRange]) { self.ranges = ranges }

    func firstShared(with other: [SlotRange]) -> Int? {
        for a in ranges {
            for b in other where max(a.start, b.start) <= min(a.end, b.end) { return max(a.start, b.start) }
        }
        return nil
    }

    /// Every slot of ours lies in one of `other`'s ranges (a viewer may split a range in two).
    func isCovered(by other: [SlotRange]) -> Bool {
        ranges.allSatisfy { range in
            var next = range.start
            for b in other.sorted(by: { $0.start < $1.start }) where b.start <= next && b.end >= next {
                next = b.end + 1
                if next > range.end { return true }
            }
            return next > range.end
        }
    }
}
