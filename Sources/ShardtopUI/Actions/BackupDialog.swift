import ShardtopCore

/// The backup confirmation (`b`): which node of each shard will run BGSAVE, with its lag, and
/// any shard that falls back to its primary or cannot be saved. Held as state like every dialog.
public struct BackupDialog: Sendable, Equatable {
    public var targets: [BackupTarget]

    public init(targets: [BackupTarget]) { self.targets = targets }

    public var savers: Int { targets.filter { $0.node != nil }.count }
}

/// A running backup as the dashboard shows it: the per-shard progress, for the operations bar.
public struct BackupRun: Sendable, Equatable {
    public var progress: BackupProgress
    public var directory: String?

    public init(progress: BackupProgress) { self.progress = progress }
}

/// Opening, confirming and following a backup from the dashboard. Pure; the app runs it
/// (BackupRunner) when the reducer returns `.startBackup`.
enum BackupReducer {
    static func open(_ state: inout AppState) -> [Effect] {
        guard let snapshot = state.snapshot else { return [] }
        if state.operations.backup != nil {
            state.status = "backup: one is already running"
            return []
        }
        let targets = BackupSourceChoice.targets(snapshot, from: .replicas, thresholds: state.lagThresholds)
        guard !targets.isEmpty else {
            state.status = "backup: no shard owns slots, nothing to back up"
            return []
        }
        state.dialog = .backup(BackupDialog(targets: targets))
        return []
    }

    static func key(_ key: Key, _ dialog: BackupDialog, _ state: inout AppState) -> [Effect] {
        switch key {
        case .enter, .character("y"):
            guard dialog.savers > 0 else {
                state.dialog = nil
                state.status = "backup: no shard has a node that can save"
                return []
            }
            state.dialog = nil
            state.operations.backup = BackupRun(progress: BackupProgress(shards: dialog.targets.map {
                BackupProgress.Shard(shard: $0.shard, node: ($0.node ?? $0.primary).address.description,
                                     role: $0.node.map { $0.isPrimary ? "primary" : "replica" } ?? "none", phase: .waiting)
            }))
            state.status = "backup started: BGSAVE on \(dialog.savers) node(s)"
            return [
                .journal(JournalDraft(action: "backup", nodes: dialog.targets.compactMap { $0.node?.address.description },
                                      commands: ["BGSAVE x\(dialog.savers)"], outcome: .started, detail: "from the dashboard")),
                .startBackup(dialog.targets),
            ]
        case .character("n"):
            state.dialog = nil
            state.status = "cancelled: nothing was sent"
        default:
            break
        }
        return []
    }

    static func progressed(_ progress: BackupProgress, _ state: inout AppState) {
        state.operations.backup?.progress = progress
    }

    static func finished(_ summary: String, succeeded: Bool, _ state: inout AppState) -> [Effect] {
        let nodes = state.operations.backup?.progress.shards.map(\.node) ?? []
        state.operations.backup = nil
        state.status = summary
        return [.journal(JournalDraft(action: "backup", nodes: nodes, commands: [], outcome: succeeded ? .succeeded : .failed, detail: summary))]
    }

    /// The operations bar line: shards finished as a bar, and failures counted.
    static func barLine(_ run: BackupRun) -> String {
        let progress = run.progress
        let width = 20
        let filled = Int((progress.fraction * Double(width)).rounded())
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let active = progress.shards.first { !$0.isFinished }.map { "  \($0.line)" } ?? ""
        return "backup [\(bar)] \(progress.finished)/\(progress.shards.count) shards\(progress.failed > 0 ? ", \(progress.failed) FAILED" : "")\(active)"
    }

    static func content(_ dialog: BackupDialog) -> DialogContent {
        var lines: [DialogContent.Line] = [
            DialogContent.Line(text: "BGSAVE on one node per shard, files and manifest.json into ./shardtop-backup-<UTC time>", role: .header),
        ]
        for target in dialog.targets {
            let slots = SlotRange.total(target.slots)
            guard let node = target.node else {
                lines.append(DialogContent.Line(text: "shard \(target.shard)  \(slots) slots  CANNOT SAVE: \(target.problem ?? "no node")", role: .error))
                continue
            }
            // Same formats as every other screen, so a healthy replica reads "0B/<1s", not as lag.
            let lag = node.isPrimary ? "" : "  lag \(Format.bytes(node.lagBytes))/\(Format.lagSeconds(node.lagSeconds))"
            lines.append(DialogContent.Line(text: "shard \(target.shard)  \(slots) slots  \(node.address) (\(node.isPrimary ? "primary" : "replica"))\(lag)"))
            if let why = target.fallbackReason { lines.append(DialogContent.Line(text: "  ! \(why)", role: .warning)) }
        }
        lines.append(DialogContent.Line(text: "A failed or refused save is reported for its shard; the backup is then marked incomplete.", role: .dim))
        return DialogContent(title: "Back up \(dialog.targets.count) shards?", lines: lines, hint: "Enter/y start   Esc cancel")
    }
}
