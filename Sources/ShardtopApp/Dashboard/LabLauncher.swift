import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopTerminal

/// `shardtop lab`: a real local cluster, with the dashboard on it or headless.
public enum LabLauncher {
    /// Starts the lab, then opens the dashboard on it (when asked and a terminal allows), or
    /// prints how to reach it and waits for Ctrl-C. Either way it stops exactly what it started.
    public static func run(_ options: LabCluster.Options, load: Int?, dashboard: Bool, display: DisplaySettings) async throws {
        let keep = options.keepDirectory
        // Before the lab's own connections: NIO's loop count can only be set before first use.
        if dashboard && TerminalCheck.problem() == nil { DashboardProcess.prepare() }
        // Signals are caught before any server starts, so Ctrl-C during formation still cleans up.
        let interrupt = Interrupt()
        interrupt.install()
        let lab = try await interrupt.startLab(options)

        var workload: Task<Void, Never>?
        if let load {
            let generator = LabWorkload(seeds: lab.addresses, opsPerSecond: load, options: lab.connectionOptions)
            workload = Task { await generator.run() }
        }
        if dashboard && TerminalCheck.problem() == nil {
            // One owner per signal: the dashboard installs its own watcher.
            interrupt.uninstall()
            defer {
                workload?.cancel()
                lab.stop()
            }
            try await DashboardLauncher.run(
                seeds: [lab.seed], options: lab.connectionOptions, lag: .default, display: display, lab: lab
            )
            return
        }
        say("lab cluster ready: \(lab.nodes.count) nodes, seed \(lab.seed)\(lab.tls == nil ? "" : " (TLS only)")")
        if let tls = lab.tls {
            let flags = tls.settings.commandLineFlags.joined(separator: " ")
            say("  shardtop snapshot rediss://\(lab.seed) \(flags)")
            say("  redis-cli -c -h \(lab.seed.host) -p \(lab.seed.port) --tls --cacert \(tls.caFile) --cert \(tls.client.certificate) --key \(tls.client.key)")
        } else {
            say("  shardtop snapshot \(lab.seed)")
        }
        say("  logs: \(lab.directory)/node-<port>/server.log")
        say("press Ctrl-C to stop the cluster\(keep ? " (its directory is kept)" : " and remove its directory")")
        await interrupt.waitForSignal()
        workload?.cancel()
        printError("stopping \(lab.nodes.count) lab nodes")
        lab.stop()
    }
}

/// Unbuffered stdout: the seed line must reach a pipe or file at once, not when the lab exits.
private func say(_ line: String) {
    StandardOutput.write(Data((line + "\n").utf8))
}
