import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis

/// `shardtop-bench backup`: `shardtop backup` against the hand-run way (BGSAVE on every replica
/// with redis-cli, then polling INFO until every save is done), on one filled lab, alternating,
/// and the restore drill's time on the last backup.
struct BenchBackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Backup wall time against BGSAVE by hand with redis-cli; restore drill time.",
        discussion: """
        Starts a lab (default 15x1), fills it with --keys keys (MSET per slot, pipelined), waits \
        for the replicas to catch up, then alternates A (`shardtop backup SEED --yes`: BGSAVE on \
        every replica, followed to the end, files copied and hashed, manifest written) and B (a bash \
        loop: `redis-cli BGSAVE` on every replica, then `redis-cli INFO persistence` every 0.1 s \
        until rdb_bgsave_in_progress:0 and rdb_last_bgsave_status:ok on each). Prints the medians \
        and the A/B ratio (target <= 1.1x), then times `shardtop lab --restore MANIFEST --check-only` \
        on the last A backup. Build with -c release first.
        """
    )

    @OptionGroup var shape: BenchLabArguments

    @Option(help: "Keys to fill the lab with.")
    var keys = 2_600_000

    @Option(help: "Bytes per value.")
    var valueSize = 32

    @Option(help: "Measured rounds of A and B.")
    var rounds = 3

    @OptionGroup var cli: BenchRedisCliArgument

    static let target = 1.1

    func validate() throws {
        guard shape.replicas >= 1 else { throw ValidationError("--replicas must be at least 1: the baseline saves on replicas") }
        try NumericOption.check(keys, "--keys", 1...100_000_000)
        try NumericOption.check(valueSize, "--value-size", 1...1_000_000, unit: "bytes")
        try NumericOption.check(rounds, "--rounds", 1...1000)
    }

    func run() async throws {
        let serverPath = try shape.serverPath()
        let cliPath = try cli.path()
        let selfPath = try BenchTools.shardtop()
        let lines = try await BenchLab.measure(shape.options(serverPath: serverPath)) { lab in
            try await measure(lab: lab, selfPath: selfPath, cli: cliPath, serverPath: serverPath)
        }
        print(lines.joined(separator: "\n"))
    }

    private func measure(lab: LabCluster, selfPath: String, cli: String, serverPath: String) async throws -> [String] {
        let fillStarted = ContinuousClock.now
        printError("filling \(keys) keys (\(valueSize)-byte values)")
        let filled = try await BenchBackupFill.fill(lab: lab, keys: keys, valueSize: valueSize)
        let fillSeconds = (ContinuousClock.now - fillStarted).millis / 1000
        printError(String(format: "filled %d keys in %.1f s; waiting for the replicas to catch up", filled, fillSeconds))
        try await BenchBackupFill.waitForReplicas(lab: lab)

        let replicaPorts = lab.nodes.filter { !$0.isPrimary }.map(\.address.port)
        let script = "\(lab.directory)/bench-baseline.sh"
        try BenchBackupFill.baselineScript(cli: cli, ports: replicaPorts).write(toFile: script, atomically: true, encoding: .utf8)
        let stderrPath = "\(lab.directory)/bench-stderr.log"
        var shardtopMillis: [Double] = []
        var baselineMillis: [Double] = []
        var lastManifest = ""
        printError("measuring \(rounds) rounds of A (shardtop backup) and B (redis-cli BGSAVE + INFO polling), alternating")
        for round in 0..<rounds {
            let backupDir = "\(lab.directory)/bench-backup-\(round)"
            let first = round % 2 == 0 ? "A" : "B"
            for side in first == "A" ? ["A", "B"] : ["B", "A"] {
                if side == "A" {
                    let outcome = try await TimedProcess.run(selfPath, ["backup", lab.seed.description, "--dir", backupDir, "--yes",
                                                                        "--journal", "\(lab.directory)/bench-actions.jsonl"], stderrPath: stderrPath)
                    guard outcome.exited && outcome.status == 0 else {
                        throw BenchFailure("shardtop backup exited \(outcome.status): \(TimedProcess.lastLine(of: stderrPath) ?? "")")
                    }
                    shardtopMillis.append(outcome.elapsed.millis)
                    if !lastManifest.isEmpty { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: lastManifest).deletingLastPathComponent().path) }
                    lastManifest = "\(backupDir)/manifest.json"
                } else {
                    let outcome = try await TimedProcess.run("/bin/bash", [script], stderrPath: stderrPath)
                    guard outcome.exited && outcome.status == 0 else {
                        throw BenchFailure("the redis-cli baseline exited \(outcome.status): \(TimedProcess.lastLine(of: stderrPath) ?? "")")
                    }
                    baselineMillis.append(outcome.elapsed.millis)
                }
                printError("round \(round + 1) \(side): \(String(format: "%.2f s", (side == "A" ? shardtopMillis : baselineMillis).last! / 1000))")
            }
        }

        printError("restore drill on the last backup")
        let drillLog = "\(lab.directory)/bench-drill.log"
        let drill = try await TimedProcess.run(selfPath, ["lab", "--restore", lastManifest, "--check-only", "--server", serverPath], stderrPath: drillLog)
        let drillOK = drill.exited && drill.status == 0

        let a = BenchSummary(millis: shardtopMillis), b = BenchSummary(millis: baselineMillis)
        let ratio = a.medianMillis / b.medianMillis
        let manifest = try? JSONDecoder().decode(BackupManifest.self, from: Data(contentsOf: URL(fileURLWithPath: lastManifest)))
        let bytes = manifest?.shards.compactMap(\.size).reduce(0, +) ?? 0
        func s(_ millis: Double) -> String { String(format: "%.2f s", millis / 1000) }
        return [
            "backup of a \(lab.nodes.count)-node lab (\(shape.primaries)x\(shape.replicas)), \(filled) keys of \(valueSize) bytes, RDB files \(ByteCount.text(bytes)) in all; medians of \(rounds) rounds, alternating",
            "A shardtop backup (BGSAVE on every replica, followed, copied, sha256, manifest)   \(s(a.medianMillis))  (min \(s(a.minMillis)), max \(s(a.maxMillis)))",
            "B redis-cli BGSAVE on every replica, INFO polled every 0.1 s until done          \(s(b.medianMillis))  (min \(s(b.minMillis)), max \(s(b.maxMillis)))",
            String(format: "A/B wall time %.2fx (target <= %.1fx: %@)", ratio, Self.target, ratio <= Self.target ? "PASS" : "MISS"),
            "restore drill (lab --restore --check-only: \(manifest?.shards.count ?? 0) nodes start, load, form, compare) \(s(drill.elapsed.millis)), \(drillOK ? "verdict OK" : "FAILED (exit \(drill.status)): \(TimedProcess.lastLine(of: drillLog) ?? "")")",
            "load average at the end: \(ProcStat.loadAverage())",
        ]
    }
}
