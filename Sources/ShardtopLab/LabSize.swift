import ShardtopProcess

/// How big a lab may be, and what a lab of a given size needs from this machine.
///
/// 500 nodes (250 primaries x 1 replica) is the largest lab tried on the 2-core machine the
/// README's figures come from. What runs short first is open files, not ports: ports are taken
/// below the kernel's ephemeral range (20000 up to ip_local_port_range, about 12,700 on Linux
/// defaults, two per node), while each server holds two cluster-bus links per peer.
public struct LabSize: Sendable {
    public static let maxPrimaries = 250
    public static let maxNodes = 500

    public let nodes: Int

    public init(nodes: Int) { self.nodes = nodes }

    /// Descriptors this process holds while it starts the lab and then watches it: two ports per
    /// node while they are picked, one connection per node while forming, and the dashboard's
    /// connections and log tails afterwards, plus room for everything else.
    public var filesHere: Int { 4 * nodes + 256 }

    /// Descriptors each server needs: a bus link each way per peer, its clients (the dashboard,
    /// the builder, a replica) and redis' own reserve of 32.
    public var filesPerServer: Int { 2 * (nodes - 1) + 96 }

    /// cluster-node-timeout when none is asked for. Each node pings every peer it has not heard
    /// from in half the timeout, with a tenth of the cluster as gossip in each ping, so the bus
    /// traffic grows with the cube of the node count over the timeout. At hundreds of nodes on two
    /// cores a short timeout saturates the machine: with 20 s, a 500-node lab (every peer pinged
    /// every 10 s: 25,000 pings and as many pongs a second) had not formed after 100 s, with the
    /// load average near 500. Growing the timeout with the square of
    /// the size keeps the pings near 2,000 a second at any size: 5 s up to 100 nodes, 31 s at
    /// 250, 125 s at 500. The cost is slower failure detection by the cluster itself (shardtop
    /// still shows a dead node unreachable within two polls).
    public var defaultNodeTimeoutMillis: Int { max(5000, nodes * nodes / 2) }

    public var problem: String? {
        nodes <= Self.maxNodes ? nil
            : "a lab has at most \(Self.maxNodes) nodes (--primaries x (1 + --replicas)); \(nodes) asked for"
    }

    /// Raises this process's soft open-file limit as far as the lab needs (children inherit it),
    /// or says, in one line, which limit is too low and how to raise it.
    public func ensureOpenFiles() throws(LabError) {
        let needed = max(filesHere, filesPerServer)
        let limits = OpenFileLimit.raise(toAtLeast: needed)
        guard limits.soft < needed else { return }
        throw LabError.tooFewOpenFiles(
            "a lab of \(nodes) nodes needs about \(filesHere) open files in shardtop and \(filesPerServer) in each server, "
                + "but the open-file limit (ulimit -n) is \(limits): raise the hard limit (ulimit -Hn, LimitNOFILE=, "
                + "/etc/security/limits.conf) or start a smaller lab"
        )
    }
}
