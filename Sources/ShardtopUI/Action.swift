import ShardtopCore

/// Everything that can change the dashboard's state: keys mapped through the binding table,
/// and data arriving from the poller.
public enum Action: Sendable, Equatable {
    case quit
    case showScreen(ScreenID)
    case nextScreen
    case previousScreen
    case toggleHelp
    case togglePause
    case faster
    case slower
    case moveUp, moveDown, moveLeft, moveRight
    case pageUp, pageDown, jumpTop, jumpBottom
    case nextSortColumn
    case reverseSort
    case startFilter
    case filterInput(Character)
    case filterBackspace
    case filterDone
    case filterCancel
    case openDetail
    case back
    case cycleOverlay
    case cycleTheme
    case labKill
    case labPause
    case labResume
    case failover
    case markSlots
    case migrateFromNode
    case rebalance
    case toggleMigrationPause
    case cancelMigration
    case backup
    case addNode
    case labAddNode
    case removeNode
    case forgetGhosts
    case replaceNode
    /// The running membership change's latest progress line (MEET, join, REPLICATE, FORGET).
    case membershipProgress(String)
    case membershipFinished(String, succeeded: Bool)
    /// A lab server the dashboard started (N, or replace in a lab): the lab keys apply to it too.
    case labServerStarted(NodeAddressText)
    case backupProgress(BackupProgress)
    case backupFinished(String, succeeded: Bool)
    case failoverRejected(replicaAddress: String, reason: String)
    /// The nodes asked directly about a sent failover (it succeeds only once the flip holds).
    case failoverConfirmation(replicaId: String, FailoverConfirmation)
    case migrationSurveyed([MigrationPlan], id: Int)
    case migrationSurveyFailed(String, id: Int)
    case migrationProgress(MigrationProgress)
    case migrationFinished(String, succeeded: Bool)
    /// The ACL preflight's answer: at start, when the node set changes, or before a move.
    case actionAccessChecked(ActionAccess)
    case journalArrived([ActionRecord])
    case logLines(nodeId: String, lines: [LogLine], source: String, status: String, restarted: Bool)
    case toggleMergedLogs
    case cycleLogLevel
    case restartLog
    case jumpToLog
    case replayKey(ReplayRequest)
    case replayStatus(ReplayStatus)
    /// After a seek: the state is rebuilt from the recording's first tick up to the new position,
    /// so history, events and sparklines are exactly what live viewing would have shown there.
    case replayRebuild([RecordedTick])
    case snapshotArrived(ClusterSnapshot, [ClusterEvent])
    case slotKeysArrived([Int: Int])
    case resized(width: Int, height: Int)
    case clock(Double)
    case status(String)
}

/// What the reducer asks the outside world to do. The reducer itself never performs I/O.
public enum Effect: Sendable, Equatable {
    case quit
    case setInterval(Double)
    case setPaused(Bool)
    case cycleTheme
    case labSignal(LabSignal, NodeAddressText)
    case requestSlotKeys
    case sendFailover(mode: FailoverMode, replicaAddress: NodeAddressText)
    case surveyMigration([MigrationPlan], id: Int)
    case startMigration([MigrationPlan])
    case pauseMigration(Bool)
    case cancelMigration
    case startBackup([BackupTarget])
    case startMembership(MembershipRequest)
    case journal(JournalDraft)
    case replay(ReplayRequest)
    case restartLog(nodeId: String)
}

/// A journal entry as the reducer knows it; the app adds time, user, host and cluster.
public struct JournalDraft: Sendable, Equatable {
    public var action: String
    public var nodes: [String]
    public var commands: [String]
    public var outcome: ActionRecord.Outcome
    public var detail: String

    public init(action: String, nodes: [String], commands: [String], outcome: ActionRecord.Outcome, detail: String) {
        self.action = action
        self.nodes = nodes
        self.commands = commands
        self.outcome = outcome
        self.detail = detail
    }
}

public enum LabSignal: String, Sendable, Equatable {
    case kill
    case pause
    case resume
}

/// A node address as text ("127.0.0.1:7001"), so effects stay plain values.
public typealias NodeAddressText = String

extension ClusterSnapshot: Equatable {
    public static func == (lhs: ClusterSnapshot, rhs: ClusterSnapshot) -> Bool {
        lhs.time == rhs.time && lhs.nodes == rhs.nodes && lhs.state == rhs.state && lhs.openSlots == rhs.openSlots
    }
}
