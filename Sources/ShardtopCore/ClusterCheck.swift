/// What `redis-cli --cluster check` looks for, and more, as findings over one snapshot.
/// Errors mean the cluster cannot serve all its data safely; warnings mean it is one fault away from that.
public enum ClusterCheck {
    /// `forecasts` (by primary id) come from the history a caller keeps (the dashboard, `check
    /// --sample`); without them there is no fill-forecast finding.
    public static func findings(
        _ snapshot: ClusterSnapshot, lag: LagThresholds = .default, capacity: CapacityThresholds = .default,
        persistence: PersistenceThresholds = .default, forecasts: [String: CapacityForecast] = [:]
    ) -> [Finding] {
        var findings: [Finding] = []
        let real = snapshot.nodes.filter { !$0.isUnknownSeed }
        let short = SnapshotDiff.short
        // Looked up per open slot, per dissenter and per primary: by id once, not by scanning every
        // node each time (5,000 nodes made that 25 million comparisons a tick). Same answers: the
        // first node with an id, and each primary's replicas in snapshot order.
        var firstByID: [String: Int] = [:]
        var replicasByPrimary: [String: [SnapshotNode]] = [:]
        for (position, node) in snapshot.nodes.enumerated() {
            if firstByID[node.id] == nil { firstByID[node.id] = position }
            if let primaryID = node.primaryId { replicasByPrimary[primaryID, default: []].append(node) }
        }
        func nodeByID(_ id: String) -> SnapshotNode? { firstByID[id].map { snapshot.nodes[$0] } }

        if snapshot.state != "ok" {
            findings.append(Finding(severity: .error, code: "cluster-state", message: "cluster_state is \(snapshot.state)"))
        }

        let uncovered = snapshot.uncoveredSlots
        if !uncovered.isEmpty {
            let count = SlotRange.total(uncovered)
            findings.append(Finding(
                severity: .error, code: "uncovered-slots",
                message: "\(count) slot\(count == 1 ? "" : "s") not served by any node: \(SnapshotDiff.describe(uncovered))"
            ))
        }

        for open in snapshot.openSlots {
            let peerText = nodeByID(open.peer).map { "\($0.address)" } ?? short(open.peer)
            let nodeText = nodeByID(open.node).map { "\($0.address)" } ?? short(open.node)
            let message = open.state == .migrating
                ? "slot \(open.slot) is open: migrating from \(nodeText) to \(peerText)"
                : "slot \(open.slot) is open: importing into \(nodeText) from \(peerText)"
            findings.append(Finding(severity: .error, code: "open-slot", message: message, nodes: [open.node, open.peer]))
        }

        if !snapshot.disagreeingNodes.isEmpty {
            let names = snapshot.disagreeingNodes.map { id in nodeByID(id).map { "\($0.address)" } ?? short(id) }
            findings.append(Finding(
                severity: .error, code: "views-disagree",
                message: "\(names.count) node\(names.count == 1 ? " disagrees" : "s disagree") with the majority on slot ownership: \(names.joined(separator: ", "))",
                nodes: snapshot.disagreeingNodes
            ))
        }

        for node in snapshot.nodes {
            switch node.health {
            case .fail:
                // A failed node that owns nothing and does not answer here is likely gone for good
                // (a destroyed machine): the cluster never drops it by itself, so say what does.
                let gone = node.error != nil && node.slotCount == 0
                let hint = gone ? "; it owns no slots and does not answer: if it is gone for good, `shardtop forget` (f on the dashboard's Overview) clears it everywhere" : ""
                findings.append(Finding(severity: .error, code: "node-failed", message: "\(node.address) is marked failed by the cluster\(hint)", nodes: [node.id]))
            case .unreachable:
                let reason = node.error ?? "no answer"
                findings.append(Finding(severity: .error, code: "node-unreachable", message: "\(node.address) unreachable from here: \(reason)", nodes: [node.id]))
            case .pfail:
                findings.append(Finding(severity: .warning, code: "node-pfail", message: "\(node.address) is suspected failing (pfail)", nodes: [node.id]))
            case .handshake, .noaddr:
                findings.append(Finding(severity: .warning, code: "node-\(node.health.rawValue)", message: "\(node.address) is in \(node.health.rawValue) state", nodes: [node.id]))
            case .loading:
                findings.append(Finding(severity: .warning, code: "node-loading", message: "\(node.address) is loading its dataset", nodes: [node.id]))
            case .ok:
                break
            }
        }

        for primary in real where primary.isPrimary && primary.slotCount > 0 {
            let replicas = replicasByPrimary[primary.id] ?? []
            let healthy = replicas.filter { $0.health == .ok && $0.primaryLinkStatus != "down" }
            if healthy.isEmpty {
                let why = replicas.isEmpty ? "has no replica" : "has no healthy replica"
                findings.append(Finding(
                    severity: .warning, code: "no-healthy-replica",
                    message: "primary \(primary.address) \(why): one more fault loses \(primary.slotCount) slots",
                    nodes: [primary.id] + replicas.map(\.id)
                ))
            }
            // On loopback every node shares the host by construction (a lab, a laptop): not a finding.
            for replica in replicas where replica.address.host == primary.address.host && !primary.address.isLoopback {
                findings.append(Finding(
                    severity: .warning, code: "replica-same-host",
                    message: "replica \(replica.address) runs on the same host as its primary \(primary.address)",
                    nodes: [primary.id, replica.id]
                ))
            }
        }

        for replica in real where replica.role == .replica {
            if replica.primaryLinkStatus == "down" {
                findings.append(Finding(
                    severity: .error, code: "replica-link-down",
                    message: "replica \(replica.address) has lost its link to primary \(short(replica.primaryId))",
                    nodes: [replica.id]
                ))
            } else if lag.isLagging(replica) {
                findings.append(Finding(
                    severity: .warning, code: "replica-lag",
                    message: "replica \(replica.address) lags \(SnapshotDiff.lagText(replica)) (threshold \(lag.bytes) B, \(lag.seconds) s)",
                    nodes: [replica.id]
                ))
            }
        }

        findings += PersistenceCheck.findings(snapshot, thresholds: persistence)
        findings += CapacityCheck.findings(snapshot, thresholds: capacity, forecasts: forecasts)
        return findings.sorted { ($1.severity, $0.code) < ($0.severity, $1.code) }
    }
}
