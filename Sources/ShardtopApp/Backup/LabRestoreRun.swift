import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis
import ShardtopTerminal

/// `shardtop lab --restore MANIFEST`: the restore drill. A local cluster from a backup (one node
/// per shard, each loading its RDB, the manifest's slot map claimed exactly), then the verdict:
/// every shard's slots and key count against the manifest. With --check-only the cluster stops
/// after the verdict; otherwise it stays up (dashboard, or the seed printed) to look around.
public struct LabRestoreRun {
    public let manifestPath: String
    public let serverPath: String
    public let checkOnly: Bool
    public let keep: Bool
    public let noDashboard: Bool
    public let display: DisplaySettings

    public init(manifestPath: String, serverPath: String, checkOnly: Bool, keep: Bool, noDashboard: Bool, display: DisplaySettings) {
        self.manifestPath = manifestPath
        self.serverPath = serverPath
        self.checkOnly = checkOnly
        self.keep = keep
        self.noDashboard = noDashboard
        self.display = display
    }

    public func run() async throws {
        let started = ContinuousClock.now
        let manifest: BackupManifest
        let shards: [LabRestoreShard]
        do { (manifest, shards) = try LabRestoreDrill.load(manifestPath: manifestPath) } catch { throw fail("\(error)") }
        printError("restore drill: \(shards.count) shards from \(manifestPath) (backup of \(manifest.cluster), \(Self.time(manifest.startedAt)))")
        let interrupt = Interrupt()
        interrupt.install()
        let lab = try await interrupt.startLab(LabRestoreDrill.options(serverPath: serverPath, shards: shards, keepDirectory: keep))
        let verdict: RestoreVerdict
        do {
            verdict = try await LabRestoreDrill.verify(lab, manifest: manifest)
        } catch {
            lab.stop()
            throw fail("the restored cluster did not answer the check: \(error)")
        }
        let seconds = (ContinuousClock.now - started).components
        for line in verdict.lines { print(line) }
        print(String(format: "restore drill took %.1f s (start, load, form, check)", Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18))
        flushOutput()
        if checkOnly {
            lab.stop()
            if !verdict.ok { throw ExitCode(ExitStatus.problemsFound) }
            return
        }
        if !noDashboard && TerminalCheck.problem() == nil {
            interrupt.uninstall()
            defer { lab.stop() }
            try await DashboardLauncher.run(seeds: [lab.seed], options: lab.connectionOptions, lag: .default, display: display, lab: lab)
            if !verdict.ok { throw ExitCode(ExitStatus.problemsFound) }
            return
        }
        print("restored cluster ready: \(lab.nodes.count) nodes, seed \(lab.seed)")
        print("press Ctrl-C to stop it\(keep ? " (its directory is kept)" : " and remove its directory")")
        flushOutput()
        await interrupt.waitForSignal()
        printError("stopping \(lab.nodes.count) lab nodes")
        lab.stop()
        if !verdict.ok { throw ExitCode(ExitStatus.problemsFound) }
    }

    public static func time(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
