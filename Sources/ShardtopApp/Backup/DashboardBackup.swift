import Foundation
import ShardtopCore
import ShardtopRedis
import ShardtopUI

/// The dashboard's `b`: the same engine as `shardtop backup` (ACL preflight, BackupRunner, the
/// manifest), with progress sent to the store for the operations bar, and the outcome as status.
public enum DashboardBackup {
    public static func run(_ targets: [BackupTarget], links: ActionLinks, store: DashboardStore?) async {
        guard let store, let snapshot = store.snapshotOfState.snapshot else { return }
        let result = await ACLPreflight.check(BackupPermissions.touches(targets), links: links)
        if let refusal = result.refusal(verb: "back up") {
            store.dispatch(.backupFinished(refusal, succeeded: false))
            return
        }
        let directory = URL(fileURLWithPath: "shardtop-backup-\(HeadlessBackup.stamp())").standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            store.dispatch(.backupFinished("backup: cannot create \(directory): \(error.localizedDescription)", succeeded: false))
            return
        }
        let name = ActionRecord.clusterName(seed: snapshot.nodes.first.map { $0.address.description } ?? "?", snapshot: snapshot)
        let manifest = await BackupRunner(links: links, settings: BackupSettings(directory: directory))
            .run(targets, snapshot: snapshot, clusterName: name, from: .replicas) { [weak store] progress in
                store?.dispatch(.backupProgress(progress))
            }
        let path = "\(directory)/manifest.json"
        do {
            try HeadlessBackup.write(manifest, to: path)
        } catch {
            store.dispatch(.backupFinished("backup: cannot write \(path): \(error.localizedDescription)", succeeded: false))
            return
        }
        store.dispatch(.backupFinished(
            manifest.complete
                ? "backup complete: \(manifest.shards.count) shards, \(path)"
                : "backup INCOMPLETE (\(manifest.problems.count) of \(manifest.shards.count) shards failed): \(manifest.problems.first ?? "") - \(path)",
            succeeded: manifest.complete
        ))
    }
}
