import Foundation
import NIOConcurrencyHelpers
import NIOCore
import ShardtopCore
import ShardtopLogs
import ShardtopProcess
import ShardtopRedis

/// Runs a backup: on every shard at once, on the node BackupSourceChoice picked, BGSAVE followed to
/// its end, then the file copied (or fetched) and hashed. Each shard ends saved or failed with its
/// reason; one shard's failure never stops the others, and the manifest says incomplete.
public struct BackupRunner: Sendable {
    public let links: ActionLinks
    public let settings: BackupSettings

    public init(links: ActionLinks, settings: BackupSettings) {
        self.links = links
        self.settings = settings
    }

    /// What one shard's save produced (the runner turns it into a manifest record).
    public struct ShardResult: Sendable {
        var record: BackupShardRecord
        var problem: String?
    }

    public func run(
        _ targets: [BackupTarget], snapshot: ClusterSnapshot, clusterName: String, from: BackupSource,
        progress: @escaping @Sendable (BackupProgress) -> Void = { _ in }
    ) async -> BackupManifest {
        let startedAt = Date().timeIntervalSince1970
        let state = NIOLockedValueBox(BackupProgress(shards: targets.map {
            BackupProgress.Shard(shard: $0.shard, node: $0.node?.address.description ?? $0.primary.address.description,
                                 role: $0.node.map { $0.isPrimary ? "primary" : "replica" } ?? "none", phase: .waiting)
        }))
        let report: @Sendable (Int, BackupProgress.Phase) -> Void = { index, phase in
            let current = state.withLockedValue { value in
                value.shards[index].phase = phase
                return value
            }
            progress(current)
        }
        progress(state.withLockedValue { $0 })
        let results = await withTaskGroup(of: (Int, ShardResult).self, returning: [ShardResult].self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await self.backUp(target) { report(index, $0) }) }
            }
            var results = [ShardResult?](repeating: nil, count: targets.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
        let records = results.map(\.record)
        let problems = results.compactMap(\.problem)
        let sample = targets.compactMap(\.node).first
        return BackupManifest(
            complete: problems.isEmpty && !records.isEmpty, cluster: clusterName, clusterNodeIds: ActionRecord.nodeIds(of: snapshot),
            startedAt: startedAt, finishedAt: Date().timeIntervalSince1970, from: from.rawValue,
            server: sample?.server, version: sample?.version, shards: records, problems: problems
        )
    }

    // MARK: - One shard

    private func backUp(_ target: BackupTarget, report: @escaping @Sendable (BackupProgress.Phase) -> Void) async -> ShardResult {
        var record = BackupShardRecord(
            shard: target.shard, primaryId: target.primary.id, primaryAddress: target.primary.address.description,
            slots: target.slots, status: .failed
        )
        func failed(_ reason: String) -> ShardResult {
            record.status = .failed
            record.error = reason
            report(.failed(reason))
            return ShardResult(record: record, problem: "shard \(target.shard) (\(record.nodeAddress ?? target.primary.address.description)): \(reason)")
        }
        guard let node = target.node else { return failed(target.problem ?? "no node can save") }
        record.nodeId = node.id
        record.nodeAddress = node.address.description
        record.nodeRole = node.isPrimary ? "primary" : "replica"
        record.fallbackReason = target.fallbackReason
        record.lagBytes = node.isPrimary ? 0 : node.lagBytes
        record.lagSeconds = node.isPrimary ? 0 : node.lagSeconds
        do {
            let connection = try await links.connection(node.address)
            // Everything the primary acknowledged before the backup began must be in the save:
            // take its offset now, and let the replica reach it before it forks.
            if !node.isPrimary {
                let primary = try await links.connection(target.primary.address)
                let info = BackupInfoParser.parse(try text(await primary.run("INFO replication", [["INFO", "replication"]])))
                guard let startOffset = info.primaryOffset else { return failed("the primary \(target.primary.address) did not report master_repl_offset") }
                record.primaryOffsetAtStart = startOffset
                if let problem = try await waitForCatchUp(connection, to: startOffset, report: report) { return failed(problem) }
            }

            // The offset and key count are read in the same pipelined request as BGSAVE, so they
            // describe the data the fork copies (the node runs one client's commands back to back).
            let replies = try await connection.run("BGSAVE", [["INFO", "persistence", "replication", "keyspace"], ["BGSAVE"], ["INFO", "replication"]])
            let before = BackupInfoParser.parse(try text(replies[0]))
            if let error = replies[1].errorMessage {
                return failed("BGSAVE refused: \(sanitizedForDisplay(error, limit: 200))")
            }
            record.offsetAtSave = before.dataOffset
            record.keys = before.keys
            if node.isPrimary { record.primaryOffsetAtStart = before.primaryOffset }
            let started = ContinuousClock.now
            report(.saving(seconds: 0))

            if let problem = try await waitForSave(connection, started: started, previousSave: before.lastSaveTime, report: report) {
                return failed(problem)
            }
            let after = BackupInfoParser.parse(try text(await connection.run("INFO persistence", [["INFO", "persistence"]])))
            record.savedAt = after.lastSaveTime.map(Double.init)
            record.saveSeconds = (ContinuousClock.now - started).seconds

            let config = try await connection.run("CONFIG GET", [["CONFIG", "GET", "dir"], ["CONFIG", "GET", "dbfilename"]])
            guard let dir = configValue(config[0]), let name = configValue(config[1]) else {
                return failed("saved, but CONFIG GET dir/dbfilename gave no path: \(config.compactMap(\.errorMessage).first ?? "empty reply")")
            }
            let remotePath = name.hasPrefix("/") ? name : "\(dir)/\(name)"
            record.remotePath = remotePath
            report(.copying)
            let fileName = "shard-\(String(format: "%02d", target.shard))-\(node.id.prefix(8)).rdb"
            let destination = "\(settings.directory)/\(fileName)"
            if LocalHost.contains(node.address.host) && FileManager.default.fileExists(atPath: remotePath) {
                let copied = try await BackupFileCopy.copy(remotePath, to: destination)
                record.file = fileName
                record.size = copied.size
                record.sha256 = copied.sha256
                record.status = .saved
            } else if let template = settings.copyTemplate {
                let arguments = template.expand(host: node.address.host, port: node.address.port, id: node.id, path: remotePath, dest: destination)
                if let problem = await BackupCopyCommand.run(arguments, logPath: "\(destination).copy.log", timeout: settings.copyTimeout) {
                    return failed("saved at \(node.address.host):\(remotePath), but --copy-command failed: \(problem)")
                }
                guard FileManager.default.fileExists(atPath: destination) else {
                    return failed("saved at \(node.address.host):\(remotePath), but --copy-command left no file at \(destination)")
                }
                let digest = try await BackupFileCopy.digest(destination)
                try? FileManager.default.removeItem(atPath: "\(destination).copy.log")
                record.file = fileName
                record.size = digest.size
                record.sha256 = digest.sha256
                record.status = .saved
            } else {
                record.status = .savedRemote
                let where_ = "\(node.address.host):\(remotePath)"
                report(.failed("saved on another host: \(where_) (not fetched; give --copy-command)"))
                return ShardResult(record: record, problem: "shard \(target.shard): saved at \(where_) on another host, not fetched (give --copy-command)")
            }
            report(.done(seconds: record.saveSeconds ?? 0))
            return ShardResult(record: record, problem: nil)
        } catch let error as ActionError {
            return failed("\(error)")
        } catch {
            return failed("\(error)")
        }
    }

    /// nil once the replica's applied offset reaches `offset`; else why not, after the bound.
    private func waitForCatchUp(_ connection: RedisConnection, to offset: Int64, report: @Sendable (BackupProgress.Phase) -> Void) async throws -> String? {
        let deadline = ContinuousClock.now + settings.catchUpTimeout
        var attempts = 0
        while true {
            attempts += 1
            let info = BackupInfoParser.parse(try text(await connection.run("INFO replication", [["INFO", "replication"]])))
            guard let applied = info.replicaOffset else { return "\(connection.address) did not report slave_repl_offset (is it still a replica?)" }
            if applied >= offset { return nil }
            report(.catchingUp(behindBytes: offset - applied))
            // Wall time alone is not enough on a starved machine; require real attempts too.
            if ContinuousClock.now > deadline && attempts >= 20 {
                return "the replica did not reach its primary's offset at the start within \(settings.catchUpTimeout) (\(offset - applied) bytes behind; link \(info.primaryLinkUp == true ? "up" : "down"))"
            }
            try await Task.sleep(for: settings.pollInterval)
        }
    }

    /// Follows rdb_bgsave_in_progress to the end, then rdb_last_bgsave_status. nil when the save succeeded.
    private func waitForSave(_ connection: RedisConnection, started: ContinuousClock.Instant, previousSave: Int64?,
                             report: @Sendable (BackupProgress.Phase) -> Void) async throws -> String? {
        var attempts = 0
        while true {
            attempts += 1
            let info = BackupInfoParser.parse(try text(await connection.run("INFO persistence", [["INFO", "persistence"]])))
            guard let inProgress = info.bgsaveInProgress else { return "\(connection.address) did not report rdb_bgsave_in_progress" }
            if !inProgress {
                if info.lastBgsaveStatus != "ok" {
                    return "BGSAVE failed (rdb_last_bgsave_status:\(info.lastBgsaveStatus ?? "missing"); the node's log says why: disk, permissions or fork)"
                }
                if let previousSave, let last = info.lastSaveTime, last < previousSave {
                    return "BGSAVE ended but rdb_last_save_time went back (\(previousSave) -> \(last))"
                }
                return nil
            }
            let elapsed = ContinuousClock.now - started
            report(.saving(seconds: elapsed.seconds))
            if elapsed > settings.saveTimeout && attempts >= 20 {
                return "BGSAVE still running after \(settings.saveTimeout); stopped waiting (the save goes on on the node)"
            }
            try await Task.sleep(for: settings.pollInterval)
        }
    }

    private func text(_ replies: [RESPValue]) throws -> String {
        try text(replies.first ?? .null)
    }

    private func text(_ reply: RESPValue) throws -> String {
        if let error = reply.errorMessage { throw BackupFileCopy.Failure(description: sanitizedForDisplay(error, limit: 200)) }
        guard let text = reply.string else { throw BackupFileCopy.Failure(description: "INFO gave no text") }
        return text
    }

    /// CONFIG GET replies with [name, value] (a map under RESP3).
    private func configValue(_ reply: RESPValue) -> String? {
        if let array = reply.array, array.count >= 2 { return array[1].string }
        if case .map(let pairs) = reply, let first = pairs.first { return first.value.string }
        return nil
    }
}

fileprivate extension Duration {
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
