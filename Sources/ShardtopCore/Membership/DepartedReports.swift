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
        var listedBy: [String: Int] = [:]
        for report in reports {
            guard case .answered(let topology, _, _) = report.outcome else { continue }
            for entry in topology where !entry.flags.contains(.myself) { listedBy[entry.id, default: 0] += 1 }
        }
        return reports.filter { report in
            guard let id = ownIds[report.address], !seeds.contains(report.address) else { return true }
            return listedBy[id, default: 0] > 0
        }
    }
}
