import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop lab --restore MANIFEST`: a local cluster built from a backup, one primary per shard,
/// each loading that shard's RDB and claiming the manifest's slots; then every shard's slot map
/// and key count compared with the manifest. It verifies a backup is usable before anyone needs
/// it. It never touches the cluster the backup came from.
public enum LabRestoreDrill {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a manifest, refusing one that names no usable file for some shard.
    public static func load(manifestPath: String) throws -> (BackupManifest, [LabRestoreShard]) {
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw Failure(description: "cannot read the manifest \(manifestPath)")
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw Failure(description: "\(manifestPath) is not a backup manifest: \(error)")
        }
        guard manifest.format <= BackupManifest.currentFormat else {
            throw Failure(description: "\(manifestPath) has format \(manifest.format); this shardtop reads up to \(BackupManifest.currentFormat)")
        }
        guard !manifest.shards.isEmpty else { throw Failure(description: "\(manifestPath) lists no shards") }
        let base = URL(fileURLWithPath: manifestPath).deletingLastPathComponent().path
        var shards: [LabRestoreShard] = []
        for shard in manifest.shards {
            guard shard.status == .saved, let file = shard.file else {
                throw Failure(description: "shard \(shard.shard) has no file in this backup (\(shard.error ?? shard.status.rawValue)): an incomplete backup cannot be restored")
            }
            let path = file.hasPrefix("/") ? file : "\(base)/\(file)"
            guard FileManager.default.fileExists(atPath: path) else { throw Failure(description: "shard \(shard.shard): \(path) is missing") }
            shards.append(LabRestoreShard(rdbPath: path, slots: shard.slots))
        }
        return (manifest, shards)
    }

    /// The lab's options for a manifest: one primary per shard, no replicas.
    public static func options(serverPath: String, shards: [LabRestoreShard], keepDirectory: Bool = false) -> LabCluster.Options {
        var options = LabCluster.Options(serverPath: serverPath, primaries: shards.count, replicasPerPrimary: 0, keepDirectory: keepDirectory)
        options.restore = shards
        return options
    }

    /// Each restored node's own slots (its CLUSTER NODES line) and key count (DBSIZE), against the manifest.
    public static func verify(_ lab: LabCluster, manifest: BackupManifest) async throws -> RestoreVerdict {
        var options = lab.connectionOptions
        options.requestTimeout = .seconds(10)
        var checks: [RestoreVerdict.ShardCheck] = []
        for (index, shard) in manifest.shards.enumerated() where index < lab.nodes.count {
            let node = lab.nodes[index]
            let connection = try await RedisConnection.connect(to: node.address, options: options)
            defer { connection.close() }
            let replies = try await connection.send([["CLUSTER", "NODES"], ["DBSIZE"]])
            let topology = replies[0].string.flatMap { try? ClusterNodesParser.parse($0) } ?? []
            let mine = topology.first { $0.flags.contains(.myself) }?.slots ?? []
            checks.append(RestoreVerdict.ShardCheck(
                shard: shard.shard, node: node.address.description, expectedSlots: shard.slots, actualSlots: mine,
                expectedKeys: shard.keys, actualKeys: replies[1].int
            ))
        }
        var notes: [String] = []
        if !manifest.complete { notes.append("note: the manifest says the backup is incomplete: \(manifest.problems.joined(separator: "; "))") }
        return RestoreVerdict(shards: checks, notes: notes)
    }

    /// Starts the drill's lab and checks it. The caller stops the lab.
    public static func run(manifestPath: String, serverPath: String, keepDirectory: Bool = false,
                           progress: @Sendable (String) -> Void = { _ in }) async throws -> (LabCluster, RestoreVerdict, Duration) {
        let started = ContinuousClock.now
        let (manifest, shards) = try load(manifestPath: manifestPath)
        progress("restoring \(shards.count) shards from \(manifestPath) (backup of \(manifest.cluster))")
        let lab = try await LabCluster.start(options(serverPath: serverPath, shards: shards, keepDirectory: keepDirectory), progress: progress)
        do {
            let verdict = try await verify(lab, manifest: manifest)
            return (lab, verdict, ContinuousClock.now - started)
        } catch {
            lab.stop()
            throw error
        }
    }
}
