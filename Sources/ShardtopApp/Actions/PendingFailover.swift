import Foundation
import ShardtopCore

/// What an operator must hear when they stop following a failover: the command is the server's
/// now. A replica keeps a manual failover going for up to 5 s after it accepted it, and nothing
/// withdraws one, so the outcome is left for them to check, with the tool that shows it.
public struct PendingFailover {
    public let mode: FailoverMode
    public let replica: NodeAddress
    public let sentAt: Double

    public init(mode: FailoverMode, replica: NodeAddress, sentAt: Double) {
        self.mode = mode
        self.replica = replica
        self.sentAt = sentAt
    }

    private var command: String { mode.command.joined(separator: " ") }

    private var time: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: sentAt))
    }

    private var pendingOnServer: String {
        "the server may still complete it within its 5 s manual-failover timeout; a CLUSTER FAILOVER cannot be recalled; check with `shardtop check`"
    }

    public var interruptedWhileFollowing: String {
        "interrupted: \(command) was sent to \(replica) at \(time); \(pendingOnServer)"
    }

    /// Stopped before the replica answered: whether the command reached it is unknown.
    public var interruptedBeforeReply: String {
        "interrupted: \(command) was being sent to \(replica) at \(time) and may have reached it; \(pendingOnServer)"
    }
}
