import ShardtopApp
import ArgumentParser
import Dispatch
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis
import ShardtopTerminal

struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Start a real local cluster on free loopback ports to try shardtop on.",
        discussion: """
        Starts redis-server (or valkey-server) processes in a temporary directory, builds the cluster \
        itself (ADDSLOTSRANGE, MEET, REPLICATE) and opens the dashboard on it, with lab-only keys to \
        kill, pause and resume nodes. Quitting (q or Ctrl-C) stops exactly the processes it started \
        and removes the directory (unless --keep). Without a terminal, it prints the seed and waits.

        Examples:
          shardtop lab
          shardtop lab --primaries 5 --replicas 2 --load 2000
          # a TLS-only cluster with its own throwaway CA
          shardtop lab --tls
          shardtop lab --server ~/.local/bin/valkey-server --keep
          # print the seed instead (for scripts)
          shardtop lab --no-dashboard
          # restore drill: a cluster from `shardtop backup`
          shardtop lab --restore DIR/manifest.json
          # verdict only, exit 1 on mismatch
          shardtop lab --restore DIR/manifest.json --check-only

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("Server binary (default: redis-server, then valkey-server, on PATH).", valueName: "path"))
    var server: String?

    @Option(help: "Number of primaries.")
    var primaries = 3

    @Option(help: "Replicas per primary.")
    var replicas = 1

    @Option(help: ArgumentHelp("cluster-node-timeout for the lab nodes (default: 5000 up to 100 nodes, then nodes^2/2: 125000 at 500).", valueName: "ms"))
    var nodeTimeout: Int?

    @Option(help: ArgumentHelp("Run a workload of this many operations per second over all slots, with hot keys.", valueName: "ops"))
    var load: Int?

    @Flag(help: "TLS only: the lab makes its own CA and certificates, nodes listen on TLS ports alone (port 0, tls-cluster, tls-replication) and require a client certificate.")
    var tls = false

    @Flag(help: "Keep the lab directory (node logs, nodes.conf) after exit.")
    var keep = false

    @Flag(help: "Do not open the dashboard; print the seed and keep the cluster running until Ctrl-C.")
    var noDashboard = false

    @Option(help: ArgumentHelp("Restore drill: one node per shard of this backup manifest, loading its RDB, claiming its slots; then key counts are compared.", valueName: "manifest"))
    var restore: String?

    @Flag(help: "With --restore: print the verdict and stop the cluster (exit 1 on a mismatch).")
    var checkOnly = false

    @OptionGroup var display: DisplayArguments

    func validate() throws {
        try LabShape.check(primaries: primaries, replicas: replicas)
        try NumericOption.check(nodeTimeout, "--node-timeout", 100...600_000, unit: "ms")
        try NumericOption.check(load, "--load", 1...1_000_000, unit: "operations per second")
        if checkOnly && restore == nil { throw ValidationError("--check-only goes with --restore MANIFEST") }
        if restore != nil && (tls || load != nil) { throw ValidationError("--restore starts a plaintext cluster without --load or --tls") }
    }

    func run() async throws {
        let serverPath: String
        do { serverPath = try ServerBinary.find(explicit: server) } catch { throw fail("\(error)") }
        if let restore {
            try await LabRestoreRun(manifestPath: restore, serverPath: serverPath, checkOnly: checkOnly, keep: keep,
                                    noDashboard: noDashboard, display: display.settings).run()
            return
        }

        let options = LabCluster.Options(
            serverPath: serverPath, primaries: primaries, replicasPerPrimary: replicas,
            nodeTimeoutMillis: nodeTimeout ?? LabSize(nodes: primaries * (1 + replicas)).defaultNodeTimeoutMillis,
            keepDirectory: keep, tls: tls
        )
        try await LabLauncher.run(options, load: load, dashboard: !noDashboard, display: display.settings)
    }
}
