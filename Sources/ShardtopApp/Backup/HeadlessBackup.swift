import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop backup`: one RDB per shard, BGSAVE on a caught-up replica by default, followed to
/// the end, copied and hashed, with a manifest; a shard that fails marks the backup incomplete.
public struct HeadlessBackup: Sendable {
    public let from: BackupSource
    public let directory: String
    public let template: BackupCopyTemplate?
    public let saveTimeout: Int
    public let catchUpTimeout: Int
    public let lag: LagThresholds

    public init(from: BackupSource, directory: String, template: BackupCopyTemplate?, saveTimeout: Int, catchUpTimeout: Int, lag: LagThresholds) {
        self.from = from
        self.directory = directory
        self.template = template
        self.saveTimeout = saveTimeout
        self.catchUpTimeout = catchUpTimeout
        self.lag = lag
    }

    public func run(session: ActionSession) async throws {
        let snapshot = session.snapshot
        let targets = BackupSourceChoice.targets(snapshot, from: from, thresholds: lag)
        guard !targets.isEmpty else {
            await session.close()
            throw fail("the cluster has no shard with slots: nothing to back up", code: ExitStatus.problemsFound)
        }
        print(BackupPlanText.lines(targets, from: from, directory: directory).joined(separator: "\n"))
        let saving = targets.compactMap(\.node)
        try await session.requirePermissions(BackupPermissions.touches(targets), action: "backup", verb: "back up", nodes: saving)
        guard try session.confirm("Run BGSAVE on \(saving.count) node(s) and write the backup to \(directory)?") else {
            await session.close()
            print("not confirmed; nothing sent")
            throw ExitCode(ExitStatus.problemsFound)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            await session.close()
            throw fail("cannot create \(directory): \(error.localizedDescription)")
        }
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        let settings = BackupSettings(directory: absolute, copyTemplate: template, catchUpTimeout: .seconds(catchUpTimeout),
                                      saveTimeout: .seconds(saveTimeout))
        let display = BackupProgressDisplay(interactive: session.interactive)
        let clusterName = ActionRecord.clusterName(seed: session.seedText, snapshot: snapshot)
        session.record("backup", nodes: saving, commands: ["BGSAVE x\(saving.count)"], outcome: .started, detail: "to \(absolute)")
        let manifest = await BackupRunner(links: session.links, settings: settings)
            .run(targets, snapshot: snapshot, clusterName: clusterName, from: from) { display.show($0) }
        display.finish()
        let manifestPath = "\(absolute)/manifest.json"
        do {
            try Self.write(manifest, to: manifestPath)
        } catch {
            session.record("backup", nodes: saving, commands: [], outcome: .failed, detail: "cannot write \(manifestPath): \(error.localizedDescription)")
            await session.close()
            throw fail("cannot write \(manifestPath): \(error.localizedDescription)")
        }
        for line in BackupPlanText.summary(manifest, manifestPath: manifestPath) { print(line) }
        session.record("backup", nodes: saving, commands: ["BGSAVE x\(saving.count)"], outcome: manifest.complete ? .succeeded : .failed,
                       detail: manifest.complete ? "complete: \(manifestPath)" : "INCOMPLETE: " + manifest.problems.joined(separator: "; "))
        await session.close()
        if !manifest.complete {
            throw fail("backup INCOMPLETE (\(manifest.problems.count) of \(manifest.shards.count) shards): \(manifest.problems.joined(separator: "; "))",
                       code: ExitStatus.problemsFound)
        }
    }

    public static func write(_ manifest: BackupManifest, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Written beside, then renamed: a reader never sees half a manifest.
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}

/// The plan printed before asking, and the summary after.

public enum BackupPlanText {
    public static func lines(_ targets: [BackupTarget], from: BackupSource, directory: String) -> [String] {
        var lines = ["backup of \(targets.count) shards from \(from.rawValue), into \(directory)"]
        for target in targets {
            let slots = SlotRange.total(target.slots)
            guard let node = target.node else {
                lines.append("  shard \(target.shard)  \(slots) slots  CANNOT SAVE: \(target.problem ?? "no node")")
                continue
            }
            let lag = node.isPrimary ? "" : "  lag \(node.lagBytes.map { "\($0) B" } ?? "?")/\(node.lagSeconds.map { "\($0) s" } ?? "?")"
            lines.append("  shard \(target.shard)  \(slots) slots  BGSAVE on \(node.address) (\(node.isPrimary ? "primary" : "replica"))\(lag)")
            if let why = target.fallbackReason { lines.append("    note: \(why)") }
        }
        return lines
    }

    public static func summary(_ manifest: BackupManifest, manifestPath: String) -> [String] {
        var lines: [String] = []
        for shard in manifest.shards {
            switch shard.status {
            case .saved:
                lines.append("shard \(shard.shard)  \(shard.nodeAddress ?? "?")  saved  offset \(shard.offsetAtSave.map(String.init) ?? "?")  keys \(shard.keys.map(String.init) ?? "?")  \(shard.size.map { ByteCount.text($0) } ?? "?")  sha256 \(shard.sha256?.prefix(12) ?? "?")  \(shard.file ?? "")")
            case .savedRemote:
                lines.append("shard \(shard.shard)  \(shard.nodeAddress ?? "?")  saved on its host at \(shard.remotePath ?? "?") (not fetched)")
            case .failed:
                lines.append("shard \(shard.shard)  \(shard.nodeAddress ?? shard.primaryAddress)  FAILED: \(shard.error ?? "?")")
            }
        }
        lines.append("manifest: \(manifestPath) (\(manifest.complete ? "complete" : "INCOMPLETE"))")
        return lines
    }
}
