import ShardtopCore

/// A modal dialog, held as state: while one is open every key goes to it, so a stray key can
/// never act on the screen behind it.
public enum ActionDialog: Sendable, Equatable {
    case failover(FailoverDialog)
    case migration(MigrationDialog)
    case backup(BackupDialog)
    case membership(MembershipDialog)
}

/// The failover preflight and the operator's choice of mode (and typed confirmation, when needed).
public struct FailoverDialog: Sendable, Equatable {
    public var preflight: FailoverPreflight
    public var modes: [FailoverMode]
    public var modeIndex = 0
    /// What the operator has typed for a FORCE/TAKEOVER confirmation.
    public var typed = ""

    public init(preflight: FailoverPreflight, modes: [FailoverMode]) {
        self.preflight = preflight
        self.modes = modes
    }

    public var mode: FailoverMode? { modes.isEmpty ? nil : modes[modeIndex] }
    public var confirmation: TypedConfirmation? { mode.flatMap { preflight.confirmation(for: $0) } }
}

/// A migration being set up: what to move, where to, then the surveyed plan preview.
public struct MigrationDialog: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// A range selected on the slot map.
        case slots([SlotRange])
        /// N slots from a primary chosen on the nodes screen; `count` is the digits typed.
        case node(id: String, count: String)
        /// Every primary to an equal share of slots (`B` on the balance screen): the planner picks
        /// sources, targets and slots, so there is no target to pick.
        case rebalance(RebalancePlan)
    }

    public enum Stage: Sendable, Equatable {
        case pickTarget
        /// Keys and big keys are being counted on the source (off the render path).
        case surveying
        case preview([MigrationPlan])
        /// The request cannot go ahead; the lines say why.
        case refused([String])
    }

    public var source: Source
    /// Candidate target primaries, by id, in address order.
    public var targets: [String]
    public var targetIndex = 0
    public var stage: Stage = .pickTarget
    /// Whether the operator typed the slot count (the first digit replaces the suggestion).
    public var countEdited = false
    /// Which survey request the dialog waits for; a new dialog never takes an old one's answer.
    public var surveyId: Int

    public init(source: Source, targets: [String], surveyId: Int = 0) {
        self.source = source
        self.targets = targets
        self.surveyId = surveyId
    }

    public var targetId: String? { targets.isEmpty ? nil : targets[targetIndex] }
}

/// Operations in flight, shown inline and in the operations bar until they end.
public struct Operations: Sendable, Equatable {
    /// Sent failovers by replica id, followed through snapshots until the flip or the deadline.
    public var failovers: [String: FailoverTracking] = [:]
    /// Replicas whose default failover failed: F on them now offers FORCE and TAKEOVER.
    public var defaultFailed: Set<String> = []
    public var migration: MigrationRun?
    public var backup: BackupRun?
    /// A node being added, removed, forgotten or replaced.
    public var membership: MembershipRun?
    /// Numbers survey requests, so an answer is matched to the dialog that asked.
    public var surveyCounter = 0

    public init() {}

    public var isBusy: Bool { migration != nil || backup != nil || membership != nil || failovers.values.contains { !$0.phase.isFinished } }
}

/// A running migration as the dashboard shows it.
public struct MigrationRun: Sendable, Equatable {
    public var summary: String
    public var progress: MigrationProgress?
    public var paused = false
    public var cancelling = false
    /// The operator asked to quit: quit as soon as the engine reports it stopped.
    public var quitWhenDone = false

    public init(summary: String) { self.summary = summary }
}
