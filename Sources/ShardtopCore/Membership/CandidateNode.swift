/// A node offered to join the cluster, as it describes itself (read by the connector).
public struct CandidateNode: Sendable, Hashable {
    public var address: NodeAddress
    /// nil when the node is not cluster-enabled (CLUSTER MYID refused).
    public var id: String?
    public var clusterEnabled: Bool
    /// Its cluster-bus port, from its own CLUSTER NODES line (needed for MEET; not always port+10000).
    public var busPort: Int?
    public var keys: Int64
    public var slotCount: Int
    public var openSlots: Int
    /// Nodes it lists besides itself: a node that knows others belongs to some cluster already.
    public var otherKnownNodes: Int
    /// "redis" or "valkey".
    public var server: String
    public var version: String
    /// 0 = no limit.
    public var maxMemory: Int64?
    public var isReplica: Bool

    public init(address: NodeAddress, id: String?, clusterEnabled: Bool, busPort: Int?, keys: Int64, slotCount: Int, openSlots: Int,
                otherKnownNodes: Int, server: String, version: String, maxMemory: Int64?, isReplica: Bool) {
        self.address = address
        self.id = id
        self.clusterEnabled = clusterEnabled
        self.busPort = busPort
        self.keys = keys
        self.slotCount = slotCount
        self.openSlots = openSlots
        self.otherKnownNodes = otherKnownNodes
        self.server = server
        self.version = version
        self.maxMemory = maxMemory
        self.isReplica = isReplica
    }
}

/// Whether a candidate may join: each problem is one sentence naming what is wrong and what to do.
/// Nothing is sent to the cluster while any remains.
public enum AddNodePreflight {
    public static func problems(_ candidate: CandidateNode, snapshot: ClusterSnapshot, replicaOf primary: SnapshotNode?) -> [String] {
        var problems: [String] = []
        let name = "\(candidate.address)"
        guard candidate.clusterEnabled, let id = candidate.id else {
            return ["\(name) is not cluster-enabled (start it with cluster-enabled yes)"]
        }
        if snapshot.node(id: id) != nil || snapshot.nodes.contains(where: { $0.address == candidate.address && !$0.isUnknownSeed }) {
            return ["\(name) is already a member of this cluster"]
        }
        if candidate.otherKnownNodes > 0 {
            problems.append("\(name) already knows \(candidate.otherKnownNodes) other node\(candidate.otherKnownNodes == 1 ? "" : "s") (it belongs to another cluster, or was never reset): run CLUSTER RESET on it first")
        }
        if candidate.keys > 0 {
            problems.append("\(name) holds \(candidate.keys) key\(candidate.keys == 1 ? "" : "s"): a new node must be empty (FLUSHALL it, if its data is not needed)")
        }
        if candidate.slotCount > 0 || candidate.openSlots > 0 {
            problems.append("\(name) claims \(candidate.slotCount) slot\(candidate.slotCount == 1 ? "" : "s")\(candidate.openSlots > 0 ? " and has \(candidate.openSlots) open" : ""): a new node must own none")
        }
        if candidate.isReplica {
            problems.append("\(name) is already a replica: run CLUSTER RESET on it first")
        }
        if candidate.busPort == nil {
            problems.append("\(name) does not show its cluster-bus port in CLUSTER NODES, so it cannot be met")
        }
        if let version = versionProblem(candidate, snapshot: snapshot, replicaOf: primary) { problems.append(version) }
        if let primary, let limit = candidate.maxMemory, limit > 0, let used = primary.usedMemory, limit < used {
            problems.append("\(name) has maxmemory \(ByteCount.text(limit)), below the \(ByteCount.text(used)) its primary \(primary.address) uses: it could not hold a full copy")
        }
        return problems
    }

    /// Same server family as the cluster; not older than its oldest node (a replica older than its
    /// primary may not read its RDB format); at most one major version newer (a rolling upgrade).
    static func versionProblem(_ candidate: CandidateNode, snapshot: ClusterSnapshot, replicaOf primary: SnapshotNode?) -> String? {
        let members = snapshot.nodes.filter { !$0.isUnknownSeed && $0.version != nil }
        guard let major = majorVersion(candidate.version), !members.isEmpty else { return nil }
        let families = Set(members.compactMap(\.server))
        if !families.isEmpty, !families.contains(candidate.server) {
            return "\(candidate.address) runs \(candidate.server) \(candidate.version), the cluster runs \(families.sorted().joined(separator: "/")): not mixed by shardtop"
        }
        let majors = members.compactMap { $0.version.flatMap(majorVersion) }
        guard let oldest = majors.min(), let newest = majors.max() else { return nil }
        let floor = primary?.version.flatMap(majorVersion) ?? oldest
        if major < floor {
            return "\(candidate.address) runs \(candidate.server) \(candidate.version), older than the cluster's \(primary.map { "primary \($0.address)" } ?? "oldest node") (major \(floor))"
        }
        if major > newest + 1 {
            return "\(candidate.address) runs \(candidate.server) \(candidate.version), more than one major version newer than the cluster (\(newest))"
        }
        return nil
    }

    static func majorVersion(_ text: String) -> Int? {
        text.split(separator: ".").first.flatMap { Int($0) }
    }
}
