import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

extension BackupSource: ExpressibleByArgument {}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "One RDB copy per shard (BGSAVE on a caught-up replica), with a manifest.",
        discussion: """
        On every shard at once: BGSAVE on a healthy replica that has caught up with its primary's
        offset at the start (so every write acknowledged before the backup began is in it), followed
        through rdb_bgsave_in_progress and rdb_last_bgsave_status to the end. The primary saves
        only with --from primaries, or when its shard has no healthy replica (the plan says so).

        DIR gets manifest.json (cluster, time, slot map; per shard the node, its lag, the offset at
        the save, the file's path, size, sha256 and key count) and the files, copied when the node
        runs on this host. For other hosts the manifest names where each file is; --copy-command
        fetches it, e.g. --copy-command 'scp {host}:{path} {dest}' (placeholders {host} {port} {id}
        {path} {dest}; split into arguments first, never run through a shell).

        A failed or refused BGSAVE is reported for its shard; the others go on, and the backup is
        marked incomplete (manifest "complete": false, exit 1). Check a backup with
        `shardtop lab --restore DIR/manifest.json`.

        Examples:
          shardtop backup 10.0.0.5:6379 --dir /backups/today
          shardtop backup 10.0.0.5:6379 --dir /backups/today --copy-command 'scp {host}:{path} {dest}' --yes

        Exit status: 0 complete, 1 incomplete, refused or not confirmed, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("replicas (default: spare the primaries) or primaries.", valueName: "replicas|primaries"))
    var from: BackupSource = .replicas

    @Option(help: ArgumentHelp("Backup directory (created; default ./shardtop-backup-<UTC time>).", valueName: "dir"))
    var dir: String?

    @Option(help: ArgumentHelp("Fetches a file from another host, e.g. 'scp {host}:{path} {dest}'.", valueName: "template"))
    var copyCommand: String?

    @Option(help: ArgumentHelp("Seconds one BGSAVE may take before its shard is reported as failed.", valueName: "s"))
    var saveTimeout: Int = 3600

    @Option(help: ArgumentHelp("Seconds a replica may take to reach its primary's offset at the start.", valueName: "s"))
    var catchUpTimeout: Int = 30

    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        try NumericOption.check(saveTimeout, "--save-timeout", 1...86_400, unit: "s")
        try NumericOption.check(catchUpTimeout, "--catch-up-timeout", 1...86_400, unit: "s")
        if let copyCommand {
            do { _ = try BackupCopyTemplate(parsing: copyCommand) } catch let error as BackupCopyTemplateError { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        var template: BackupCopyTemplate?
        if let copyCommand {
            do { template = try BackupCopyTemplate(parsing: copyCommand) } catch { throw fail(error.description) }
        }
        let directory = dir ?? "shardtop-backup-\(Self.stamp())"
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "back up")
        let snapshot = session.snapshot
        let targets = BackupSourceChoice.targets(snapshot, from: from, thresholds: connection.lagThresholds)
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

    static func write(_ manifest: BackupManifest, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Written beside, then renamed: a reader never sees half a manifest.
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}

/// The plan printed before asking, and the summary after.
enum BackupPlanText {
    static func lines(_ targets: [BackupTarget], from: BackupSource, directory: String) -> [String] {
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

    static func summary(_ manifest: BackupManifest, manifestPath: String) -> [String] {
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
