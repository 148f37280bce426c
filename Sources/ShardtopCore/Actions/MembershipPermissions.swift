/// Commands of the membership actions (forget, remove-node, add-node, replace). Each probe was
/// tried on redis 7.0.15 and valkey 9.1.2: the ACL check comes first (NOPERM when denied), then the
/// argument is refused and nothing changes.
extension ACLRequirement {
    /// "ERR Unknown node shardtop-acl-probe".
    public static let clusterForget = ACLRequirement(
        command: "CLUSTER FORGET", rule: "+cluster|forget",
        dryRun: ["CLUSTER", "FORGET", "0000000000000000000000000000000000000000"], probe: ["CLUSTER", "FORGET", "shardtop-acl-probe"])
    /// "ERR Invalid node address specified".
    public static let clusterMeet = ACLRequirement(
        command: "CLUSTER MEET", rule: "+cluster|meet",
        dryRun: ["CLUSTER", "MEET", "127.0.0.1", "1"], probe: ["CLUSTER", "MEET", "shardtop-acl-probe", "1"])
    /// "ERR Unknown node shardtop-acl-probe".
    public static let clusterReplicate = ACLRequirement(
        command: "CLUSTER REPLICATE", rule: "+cluster|replicate",
        dryRun: ["CLUSTER", "REPLICATE", "0000000000000000000000000000000000000000"], probe: ["CLUSTER", "REPLICATE", "shardtop-acl-probe"])
    /// "ERR syntax error" for a mode that is neither HARD nor SOFT.
    public static let clusterReset = ACLRequirement(
        command: "CLUSTER RESET", rule: "+cluster|reset", dryRun: ["CLUSTER", "RESET", "HARD"], probe: ["CLUSTER", "RESET", "shardtop-acl-probe"])
    public static let clusterMyId = ACLRequirement(
        command: "CLUSTER MYID", rule: "+cluster|myid", dryRun: ["CLUSTER", "MYID"], probe: ["CLUSTER", "MYID"])
    public static let clusterInfo = ACLRequirement(
        command: "CLUSTER INFO", rule: "+cluster|info", dryRun: ["CLUSTER", "INFO"], probe: ["CLUSTER", "INFO"])
    public static let info = ACLRequirement(command: "INFO", rule: "+info", dryRun: ["INFO"], probe: ["INFO", "server"])
    /// Stops the server: never probed.
    public static let shutdown = ACLRequirement(command: "SHUTDOWN", rule: "+shutdown", dryRun: ["SHUTDOWN", "NOSAVE"], probe: nil)
}

extension ActionPermissions {
    /// What the dashboard's membership keys (add, remove, replace, forget) may send to any live
    /// node, checked up front so a denied user sees the keys disabled with the missing rule. Each
    /// action's own preflight still checks its exact touches before anything is sent.
    public static func dashboardMembershipTouches(_ snapshot: ClusterSnapshot) -> [ACLTouch] {
        let requirements: [ACLRequirement] = [.clusterMeet, .clusterForget, .clusterReplicate, .clusterReset, .clusterNodes] + lease
        return snapshot.nodes.filter { !$0.isUnknownSeed && $0.isReachable }.map { ACLTouch(node: $0.address, requirements: requirements) }
    }

    /// Forgetting ghosts: FORGET and the re-reads that confirm it, on every live node.
    public static func touches(forgettingOn nodes: [NodeAddress]) -> [ACLTouch] {
        nodes.map { ACLTouch(node: $0, requirements: [.clusterForget, .clusterNodes] + lease) }
    }

    /// Removing a node: FORGET on every other live node; REPLICATE on its replicas; RESET (and with
    /// `shutdown`, SHUTDOWN) on the node itself.
    public static func touches(removing node: NodeAddress, forgetOn others: [NodeAddress], replicas: [NodeAddress], shutdown: Bool) -> [ACLTouch] {
        var touches = touches(forgettingOn: others)
        for replica in replicas {
            if let index = touches.firstIndex(where: { $0.node == replica }) {
                touches[index].requirements = unique(touches[index].requirements + [.clusterReplicate, .info])
            } else {
                touches.append(ACLTouch(node: replica, requirements: [.clusterReplicate, .clusterNodes, .info] + lease))
            }
        }
        touches.append(ACLTouch(node: node, requirements: [.clusterReset, .clusterNodes] + (shutdown ? [.shutdown] : []) + lease))
        return touches
    }

    /// Adding a node: the preflight's reads and, with `replicate`, REPLICATE on the new node; MEET on
    /// the member that introduces it; CLUSTER NODES on every member (waiting until all know it).
    public static func touches(adding candidate: NodeAddress, introducer: NodeAddress, members: [NodeAddress], replicate: Bool) -> [ACLTouch] {
        var touches = [ACLTouch(node: candidate, requirements: [.clusterMyId, .clusterNodes, .clusterInfo, .info] + (replicate ? [.clusterReplicate] : []))]
        for member in members {
            touches.append(ACLTouch(node: member, requirements: (member == introducer ? [.clusterMeet] : []) + [.clusterNodes] + lease))
        }
        return touches
    }
}
