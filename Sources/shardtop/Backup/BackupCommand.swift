import ShardtopApp
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
        On every shard at once: BGSAVE on a healthy replica that has caught up with its primary's \
        offset at the start (so every write acknowledged before the backup began is in it), followed \
        through rdb_bgsave_in_progress and rdb_last_bgsave_status to the end. The primary saves \
        only with --from primaries, or when its shard has no healthy replica (the plan says so).

        DIR gets manifest.json (cluster, time, slot map; per shard the node, its lag, the offset at \
        the save, the file's path, size, sha256 and key count) and the files, copied when the node \
        runs on this host. For other hosts the manifest names where each file is; --copy-command \
        fetches it, e.g. --copy-command 'scp {host}:{path} {dest}' (placeholders {host} {port} {id} \
        {path} {dest}; split into arguments first, never run through a shell).

        A failed or refused BGSAVE is reported for its shard; the others go on, and the backup is \
        marked incomplete (manifest "complete": false, exit 1). Check a backup with \
        `shardtop lab --restore DIR/manifest.json`.

        Examples:
          shardtop backup 10.0.0.5:6379 --dir /backups/today
          shardtop backup 10.0.0.5:6379 --dir /backups/today \\
            --copy-command 'scp {host}:{path} {dest}' --yes

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
        let directory = dir ?? "shardtop-backup-\(HeadlessBackup.stamp())"
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "back up")
        try await HeadlessBackup(from: from, directory: directory, template: template, saveTimeout: saveTimeout, catchUpTimeout: catchUpTimeout,
                                 lag: connection.lagThresholds).run(session: session)
    }
}
