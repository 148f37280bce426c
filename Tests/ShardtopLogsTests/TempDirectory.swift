import Foundation

/// A fresh directory per test, removed afterwards.
final class TempDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "shardtop-logs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func append(_ text: String, to name: String) throws {
        let url = URL(fileURLWithPath: file(name))
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Collects batches from a source until `condition` holds, the stream ends, or `seconds` pass;
/// returns what arrived either way. Leaving cancels the reading task, which stops the source.
func collect(_ stream: AsyncStream<LogBatch>, seconds: Double = 30, until condition: @escaping @Sendable ([LogBatch]) -> Bool) async -> [LogBatch] {
    let box = BatchBox()
    let reader = Task {
        for await batch in stream {
            if condition(box.append(batch)) { break }
        }
        box.finish()
    }
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline && !box.isFinished {
        try? await Task.sleep(for: .milliseconds(10))
    }
    reader.cancel()
    await reader.value
    return box.batches
}

final class BatchBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LogBatch] = []
    private var finished = false
    func append(_ batch: LogBatch) -> [LogBatch] { lock.withLock { stored.append(batch); return stored } }
    func finish() { lock.withLock { finished = true } }
    var isFinished: Bool { lock.withLock { finished } }
    var batches: [LogBatch] { lock.withLock { stored } }
}

import ShardtopCore

extension Array where Element == LogBatch {
    var messages: [String] { flatMap { $0.lines.map(\.message) } }
}
