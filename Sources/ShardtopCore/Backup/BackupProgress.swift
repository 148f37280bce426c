/// Where each shard of a running backup is: the state the progress display (a terminal, plain
/// lines, or the dashboard's operations bar) renders. Plain values; the runner updates them.
public struct BackupProgress: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case waiting
        /// Waiting for the replica to reach the primary's offset at the start.
        case catchingUp(behindBytes: Int64)
        case saving(seconds: Double)
        case copying
        case done(seconds: Double)
        case failed(String)
    }

    public struct Shard: Sendable, Equatable {
        public var shard: Int
        public var node: String
        public var role: String
        public var phase: Phase

        public init(shard: Int, node: String, role: String, phase: Phase) {
            self.shard = shard
            self.node = node
            self.role = role
            self.phase = phase
        }

        public var isFinished: Bool {
            switch phase {
            case .done, .failed: true
            default: false
            }
        }

        /// "shard 2  127.0.0.1:7004 (replica)  saving 3.1 s"
        public var line: String {
            let state: String = switch phase {
            case .waiting: "waiting"
            case .catchingUp(let bytes): "catching up (\(bytes) bytes behind the offset at start)"
            case .saving(let seconds): "saving \(formatSeconds(seconds))"
            case .copying: "copying and hashing"
            case .done(let seconds): "done in \(formatSeconds(seconds))"
            case .failed(let reason): "FAILED: \(reason)"
            }
            return "shard \(shard)  \(node) (\(role))  \(state)"
        }
    }

    public var shards: [Shard]

    public init(shards: [Shard]) { self.shards = shards }

    public var finished: Int { shards.filter(\.isFinished).count }
    public var failed: Int {
        shards.filter { if case .failed = $0.phase { true } else { false } }.count
    }
    /// 0...1, for a progress bar.
    public var fraction: Double { shards.isEmpty ? 1 : Double(finished) / Double(shards.count) }
    public var summary: String {
        "backup: \(finished)/\(shards.count) shards finished" + (failed > 0 ? ", \(failed) failed" : "")
    }
}

func formatSeconds(_ seconds: Double) -> String {
    let tenths = Int((seconds * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) s"
}
