import Foundation
import ShardtopUI

/// `SHARDTOP_KEY_TIMES=FILE` appends one line per key the dashboard answers: the key and the
/// milliseconds from reading it to its frame being on the screen, then the key. The tests that hold keys under
/// 100 ms on a 5,000-node view read it, as does anyone profiling the dashboard; unset, nothing is kept.
final class KeyTimeLog: @unchecked Sendable {
    private let handle: FileHandle

    private init(handle: FileHandle) { self.handle = handle }

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> KeyTimeLog? {
        guard let path = environment["SHARDTOP_KEY_TIMES"], !path.isEmpty else { return nil }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        return KeyTimeLog(handle: handle)
    }

    /// Called on the terminal thread, once per key; one short write, no buffering to lose on exit.
    func record(_ key: Key, _ took: Duration) {
        let millis = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
        handle.write(Data("\(String(format: "%.3f", millis)) \(key.description)\n".utf8))
    }
}
