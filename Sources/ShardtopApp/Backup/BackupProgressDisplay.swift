import Foundation
import ShardtopCore

/// The backup's progress: on a terminal, one line per shard rewritten in place (at most ten
/// times a second); otherwise a plain line each time a shard changes phase, no repeats.
public final class BackupProgressDisplay: @unchecked Sendable {
    private let interactive: Bool
    private let lock = NSLock()
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    private var latest: BackupProgress?
    private var lastPhaseKind: [Int: String] = [:]

    public init(interactive: Bool) { self.interactive = interactive }

    public func show(_ progress: BackupProgress) {
        lock.withLock {
            latest = progress
            if interactive {
                if Date().timeIntervalSince(lastDraw) >= 0.1 || progress.finished == progress.shards.count { draw(progress) }
            } else {
                for shard in progress.shards {
                    let kind = Self.kind(shard.phase)
                    if lastPhaseKind[shard.shard] != kind {
                        lastPhaseKind[shard.shard] = kind
                        print(shard.line)
                    }
                }
                flushOutput()
            }
        }
    }

    public func finish() {
        lock.withLock {
            if interactive, let latest { draw(latest) }
        }
    }

    private func draw(_ progress: BackupProgress) {
        var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
        for shard in progress.shards { text += "\r\u{1B}[K" + shard.line + "\n" }
        text += "\r\u{1B}[K" + progress.summary + "\n"
        StandardOutput.write(Data(text.utf8))
        drawnLines = progress.shards.count + 1
        lastDraw = Date()
    }

    private static func kind(_ phase: BackupProgress.Phase) -> String {
        switch phase {
        case .waiting: "waiting"
        case .catchingUp: "catching up"
        case .saving: "saving"
        case .copying: "copying"
        case .done: "done"
        case .failed: "failed"
        }
    }
}
