import Foundation
import ShardtopCore

/// The action journal: one JSON line per action step under XDG_STATE_HOME, appended with O_APPEND so
/// two shardtop processes never interleave inside a line.
public struct ActionJournal: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// $XDG_STATE_HOME/shardtop/actions.jsonl, else ~/.local/state/shardtop/actions.jsonl.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        return base + "/shardtop/actions.jsonl"
    }

    /// The user and host recorded with every entry.
    public static var identity: (user: String, host: String) {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "uid \(getuid())"
        return (user, ProcessInfo.processInfo.hostName)
    }

    /// A record stamped now, with this user and host: what every action step writes.
    public static func entry(cluster: String, action: String, nodes: [String], commands: [String],
                             outcome: ActionRecord.Outcome, detail: String, clusterNodeIds: [String]? = nil) -> ActionRecord {
        let (user, host) = identity
        return ActionRecord(time: Date().timeIntervalSince1970, user: user, host: host, cluster: cluster, action: action,
                            nodes: nodes, commands: commands, outcome: outcome, detail: detail, clusterNodeIds: clusterNodeIds)
    }

    public func append(_ record: ActionRecord) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(record)
        line.append(0x0A)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != line.count { throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: path]) }
    }

    /// The last `limit` entries; unreadable lines are skipped (the file is meant to be grep-able and
    /// hand-edited, not a database). Reads at most the last 1 MiB.
    public func recent(limit: Int = 200) -> [ActionRecord] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 1_048_576 ? size - 1_048_576 : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        let decoder = JSONDecoder()
        let lines = data.split(separator: 0x0A).suffix(limit)
        return lines.compactMap { try? decoder.decode(ActionRecord.self, from: Data($0)) }
    }
}
