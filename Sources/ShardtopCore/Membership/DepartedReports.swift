/// A node removed from the cluster (forgotten everywhere, then CLUSTER RESET) still answers when
/// polled, as a lone node with a new id. Polling the addresses of the last snapshot would keep
/// showing it forever; it is dropped once no other answering node lists it.
public enum DepartedReports {
    /// `reports` without the answering nodes that no other answering node lists (by id). Seeds are
    /// kept, so a wrong seed still shows as what it is; nothing is dropped when only one node answered.
    public static func withoutDeparted(_ reports: [NodeReport], seeds: Set<NodeAddress>) -> [NodeReport] {
        var ownIds: [NodeAddress: String] = [:]
        for report in reports {
            guard case .answered(let topology, _, _) = report.outcome, let own = topology.first(where: { $0.flags.contains(.myself) }) else { continue }
            ownIds[report.address] = own.id
        }
        guard ownIds.count > 1 else { return reports }
        // Usually the first view already lists every other node and the second lists the first,
        // so the scan stops after about two views instead of reading all N of them (N^2 ids).
        var unlisted = Set(ownIds.values)
        scan: for report in reports {
            guard case .answered(let topology, _, _) = report.outcome else { continue }
            for entry in topology where !entry.flags.contains(.myself) {
                if unlisted.remove(entry.id) != nil, unlisted.isEmpty { break scan }
            }
        }
        return reports.filter { report in
            guard let id = ownIds[report.address], !seeds.contains(report.address) else { return true }
            return !unlisted.contains(id)
        }
    }
}
