import Foundation
import ShardtopCore
import ShardtopRedis

/// One shard of a restore drill: the RDB file its node starts from and the slots it claims.
public struct LabRestoreShard: Sendable, Equatable {
    public var rdbPath: String
    public var slots: [SlotRange]

    public init(rdbPath: String, slots: [SlotRange]) {
        self.rdbPath = rdbPath
        self.slots = slots
    }

    /// The file a node loads at start when AOF is off: its dbfilename (the server default).
    static let loadedFileName = "dump.rdb"

    static func place(_ shard: LabRestoreShard, in directory: String) throws {
        let destination = "\(directory)/\(loadedFileName)"
        do {
            try FileManager.default.copyItem(atPath: shard.rdbPath, toPath: destination)
        } catch {
            throw LabError.badOption("cannot copy \(shard.rdbPath) into the restored node's directory: \(error.localizedDescription)")
        }
    }
}

extension LabCluster {
    /// Restored nodes answer LOADING until their RDB is in memory; forming waits for that.
    func waitUntilLoaded() async throws {
        var options = connectionOptions
        options.requestTimeout = .seconds(5)
        let deadline = ContinuousClock.now + .seconds(600)
        for node in nodes {
            let connection = try await RedisConnection.connect(to: node.address, options: options)
            defer { connection.close() }
            var attempts = 0
            while true {
                attempts += 1
                // Whole lines: "async_loading:0" also contains "loading:0".
                if let text = try await connection.send([["INFO", "persistence"]]).first?.string,
                   text.split(whereSeparator: \.isNewline).contains("loading:0") { break }
                if ContinuousClock.now > deadline && attempts >= 100 {
                    throw LabError.nodeDidNotStart(port: node.address.port, detail: "still loading its RDB after 600 s; see \(node.logPath)")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
