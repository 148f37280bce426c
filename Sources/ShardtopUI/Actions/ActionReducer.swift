import ShardtopCore

/// State changes for operator actions: opening dialogs, keys inside them, and following
/// operations in flight. Pure, like the rest of the reducer; I/O happens through effects.
enum ActionReducer {
    static let readOnlyReason = "read-only mode (started with --read-only)"

    // MARK: opening

    static func openFailover(_ state: inout AppState) -> [Effect] {
        guard let snapshot = state.snapshot, let node = NodesScreenModel.selectedNode(state) else { return [] }
        guard let preflight = FailoverPreflight.make(snapshot: snapshot, nodeId: node.id) else {
            state.status = "failover: \(node.address) has no replica that answers"
            return []
        }
        if let tracking = state.operations.failovers[preflight.replica.id], !tracking.phase.isFinished {
            state.status = "failover: already waiting for \(preflight.replica.address)"
            return []
        }
        let modes = preflight.offeredModes(defaultFailed: state.operations.defaultFailed.contains(preflight.replica.id))
        state.dialog = .failover(FailoverDialog(preflight: preflight, modes: modes))
        return []
    }

    /// `m` on the slot map: the first press anchors a range at the cursor, the second opens the dialog.
    static func markSlots(_ state: inout AppState) -> [Effect] {
        guard let anchor = state.slots.selectionAnchor else {
            state.slots.selectionAnchor = state.slots.cursor
            state.status = "range starts at slot \(state.slots.cursor): move the cursor, press m again (Esc drops it)"
            return []
        }
        let range = SlotRange(min(anchor, state.slots.cursor), max(anchor, state.slots.cursor))
        state.slots.selectionAnchor = nil
        openMigration(&state, source: .slots([range]))
        return []
    }

    /// `M` on the nodes screen: move N slots away from the selected primary.
    static func migrateFromNode(_ state: inout AppState) -> [Effect] {
        guard let node = NodesScreenModel.selectedNode(state) else { return [] }
        guard node.isPrimary, node.slotCount > 0 else {
            state.status = "migrate: \(node.address) owns no slots (select a primary)"
            return []
        }
        openMigration(&state, source: .node(id: node.id, count: "\(min(100, node.slotCount))"))
        return []
    }

    /// Plans an even share of slots for every primary, as `shardtop rebalance` does by default,
    /// and goes straight to the survey: the planner has chosen sources, targets and slots.
    static func rebalance(_ state: inout AppState) -> [Effect] {
        guard let snapshot = state.snapshot else { return [] }
        let plan = RebalancePlanner.plan(snapshot, metric: .slots)
        var dialog = MigrationDialog(source: .rebalance(plan), targets: [])
        let problems = ActionPreconditions.blockingProblems(snapshot)
        if !problems.isEmpty {
            dialog.stage = .refused(ActionPreconditions.refusalLines(problems, snapshot: snapshot) { "refusing to rebalance while the cluster has \($0) problem\($0 == 1 ? "" : "s"):" })
            state.dialog = .migration(dialog)
            return []
        }
        guard !plan.moves.isEmpty else {
            state.status = "rebalance: balanced within 2%, nothing to move"
            return []
        }
        let plans = plan.moves.compactMap { move -> MigrationPlan? in
            guard let source = snapshot.node(id: move.fromId), let target = snapshot.node(id: move.toId) else { return nil }
            return MigrationPlanner.plan(source: source, target: target, slots: move.slots)
        }
        state.operations.surveyCounter += 1
        dialog.surveyId = state.operations.surveyCounter
        dialog.stage = .surveying
        state.dialog = .migration(dialog)
        return [.surveyMigration(plans, id: dialog.surveyId)]
    }

    private static func openMigration(_ state: inout AppState, source: MigrationDialog.Source) {
        guard let snapshot = state.snapshot else { return }
        var excluded: String?
        if case .node(let id, _) = source { excluded = id }
        let targets = snapshot.primaries.filter { !$0.isUnknownSeed && $0.isReachable && $0.id != excluded }
            .sorted { $0.address < $1.address }.map(\.id)
        guard !targets.isEmpty else {
            state.status = "migrate: no other reachable primary to move slots to"
            return
        }
        state.dialog = .migration(MigrationDialog(source: source, targets: targets))
    }

    // MARK: keys inside a dialog

    static func handleDialogKey(_ key: Key, state: inout AppState) -> [Effect] {
        guard let dialog = state.dialog else { return [] }
        if key == .escape {
            state.dialog = nil
            state.status = "cancelled: nothing was sent"
            return []
        }
        switch dialog {
        case .failover(var failover):
            let effects = failoverKey(key, &failover, &state)
            if case .failover = state.dialog { state.dialog = .failover(failover) }
            return effects
        case .migration(var migration):
            let effects = migrationKey(key, &migration, &state)
            if case .migration = state.dialog { state.dialog = .migration(migration) }
            return effects
        case .backup(let backup):
            return BackupReducer.key(key, backup, &state)
        case .membership(var membership):
            let effects = MembershipReducer.key(key, &membership, &state)
            if case .membership = state.dialog { state.dialog = .membership(membership) }
            return effects
        }
    }

    private static func failoverKey(_ key: Key, _ dialog: inout FailoverDialog, _ state: inout AppState) -> [Effect] {
        switch key {
        case .left, .right, .tab, .backTab:
            guard dialog.modes.count > 1 else { return [] }
            let step = key == .left || key == .backTab ? -1 : 1
            dialog.modeIndex = (dialog.modeIndex + step + dialog.modes.count) % dialog.modes.count
            dialog.typed = ""
        case .backspace:
            _ = dialog.typed.popLast()
        case .enter:
            return confirmFailover(dialog, &state)
        case .character(let character):
            if dialog.confirmation != nil {
                if dialog.typed.count < 20 { dialog.typed.append(character) }
            } else if character == "y" {
                return confirmFailover(dialog, &state)
            } else if character == "n" {
                state.dialog = nil
                state.status = "cancelled: nothing was sent"
            }
        default:
            break
        }
        return []
    }

    private static func confirmFailover(_ dialog: FailoverDialog, _ state: inout AppState) -> [Effect] {
        guard let mode = dialog.mode else { return [] }
        if let confirmation = dialog.confirmation, !confirmation.accepts(dialog.typed) {
            state.status = "type \(confirmation.expected) exactly to confirm (Esc cancels)"
            return []
        }
        let preflight = dialog.preflight
        let replica = preflight.replica
        state.dialog = nil
        state.operations.failovers[replica.id] = FailoverTracking(
            replicaId: replica.id, replicaAddress: replica.address, oldPrimaryId: preflight.primary?.id,
            mode: mode, sentAt: state.now
        )
        state.status = "failover \(mode.label) sent to \(replica.address); following it"
        let nodes = [replica] + (preflight.primary.map { [$0] } ?? [])
        return [
            .journal(JournalDraft(action: "failover", nodes: nodes.map(\.address.description), commands: [preflight.command(mode)],
                                  outcome: .started, detail: "mode \(mode.label), lag \(preflight.lagBytes.map { "\($0)" } ?? "?") bytes")),
            .sendFailover(mode: mode, replicaAddress: replica.address.description),
        ]
    }

    private static func migrationKey(_ key: Key, _ dialog: inout MigrationDialog, _ state: inout AppState) -> [Effect] {
        switch dialog.stage {
        case .pickTarget:
            switch key {
            case .up, .left, .character("k"):
                dialog.targetIndex = max(0, dialog.targetIndex - 1)
            case .down, .right, .tab, .character("j"):
                dialog.targetIndex = min(dialog.targets.count - 1, dialog.targetIndex + 1)
            case .backspace:
                if case .node(let id, var count) = dialog.source { _ = count.popLast(); dialog.source = .node(id: id, count: count) }
            case .character(let c) where c.isNumber:
                // The first digit replaces the suggested count; later digits append.
                if case .node(let id, var count) = dialog.source, count.count < 5 || !dialog.countEdited {
                    if !dialog.countEdited { count = "" }
                    count.append(c)
                    dialog.countEdited = true
                    dialog.source = .node(id: id, count: count)
                }
            case .enter:
                return plan(&dialog, &state)
            default:
                break
            }
        case .surveying:
            break
        case .preview(let plans):
            if key == .enter || key == .character("y") {
                // Re-checked at the moment of confirming: the cluster may have changed since planning.
                if state.operations.migration != nil {
                    dialog.stage = .refused(["a migration is already running; wait for it or cancel it (X)"])
                    return []
                }
                if let snapshot = state.snapshot {
                    let problems = ActionPreconditions.blockingProblems(snapshot)
                    if !problems.isEmpty {
                        dialog.stage = .refused(ActionPreconditions.refusalLines(problems, snapshot: snapshot) { "the cluster changed: \($0) problem\($0 == 1 ? "" : "s") now:" })
                        return []
                    }
                }
                state.dialog = nil
                let slots = plans.reduce(0) { $0 + $1.slots.count }
                state.operations.migration = MigrationRun(summary: "\(slots) slot\(slots == 1 ? "" : "s")")
                state.status = "migration started: P pauses, X cancels"
                return [.startMigration(plans)]
            }
            if key == .character("n") { state.dialog = nil }
        case .refused:
            if key == .enter { state.dialog = nil }
        }
        return []
    }

    private static func plan(_ dialog: inout MigrationDialog, _ state: inout AppState) -> [Effect] {
        guard let snapshot = state.snapshot, let targetId = dialog.targetId else { return [] }
        let problems = ActionPreconditions.blockingProblems(snapshot)
        if !problems.isEmpty {
            dialog.stage = .refused(ActionPreconditions.refusalLines(problems, snapshot: snapshot) { "refusing to migrate while the cluster has \($0) problem\($0 == 1 ? "" : "s"):" })
            return []
        }
        do {
            let plans: [MigrationPlan]
            switch dialog.source {
            case .slots(let ranges):
                plans = try MigrationPlanner.plans(snapshot, slots: ranges, to: targetId)
            case .node(let id, let count):
                guard let count = Int(count), count > 0 else {
                    state.status = "type how many slots to move"
                    return []
                }
                plans = [try MigrationPlanner.plan(snapshot, from: id, to: targetId, count: count)]
            case .rebalance:
                return []  // planned when the dialog opened; it never picks a target
            }
            state.operations.surveyCounter += 1
            dialog.surveyId = state.operations.surveyCounter
            dialog.stage = .surveying
            return [.surveyMigration(plans, id: dialog.surveyId)]
        } catch {
            dialog.stage = .refused([error.description])
            return []
        }
    }

    // MARK: results from the outside

    /// A survey answers the request it was made for: a late answer to a closed dialog is dropped.
    static func surveyed(_ plans: [MigrationPlan], id: Int, _ state: inout AppState) {
        guard case .migration(var dialog) = state.dialog, dialog.stage == .surveying, dialog.surveyId == id else { return }
        dialog.stage = .preview(plans)
        state.dialog = .migration(dialog)
    }

    /// A denied kind disables its keys (Bindings); a move being surveyed when its own check says
    /// no is refused in its dialog, before anything was sent.
    static func accessChecked(_ access: ActionAccess, _ state: inout AppState) {
        state.actionAccess = access
        if let denied = access.migration, case .migration(var dialog) = state.dialog, dialog.stage == .surveying {
            dialog.stage = .refused(["refusing to move slots: \(denied)"])
            state.dialog = .migration(dialog)
        }
        if let reason = access.failover ?? access.migration ?? access.membership {
            let off = [access.failover.map { _ in "failover" }, access.migration.map { _ in "migration" },
                       access.membership.map { _ in "node changes" }].compactMap { $0 }
            // All three off is a monitoring user: said short, so the reason's rule still fits the line.
            state.status = off.count == 3 ? "read-only by ACL: \(reason)" : "\(off.joined(separator: " and ")) disabled: \(reason)"
        } else if let note = access.note {
            state.status = note
        }
    }

    static func surveyFailed(_ reason: String, id: Int, _ state: inout AppState) {
        guard case .migration(var dialog) = state.dialog, dialog.stage == .surveying, dialog.surveyId == id else { return }
        dialog.stage = .refused(["could not survey the slots: \(reason)"])
        state.dialog = .migration(dialog)
    }

    static func togglePause(_ state: inout AppState) -> [Effect] {
        guard var run = state.operations.migration else { return [] }
        run.paused.toggle()
        state.operations.migration = run
        state.status = run.paused ? "migration pauses after the slots in progress (P resumes)" : "migration resumed"
        return [.pauseMigration(run.paused)]
    }

    static func cancel(_ state: inout AppState) -> [Effect] {
        guard var run = state.operations.migration else { return [] }
        run.cancelling = true
        state.operations.migration = run
        state.status = "cancelling: the slots in progress are finished first, no slot is left open"
        return [.cancelMigration]
    }

    /// Follows sent failovers through a new snapshot; a finished one is journalled once.
    static func observe(_ snapshot: ClusterSnapshot, _ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for (id, var tracking) in state.operations.failovers where !tracking.phase.isFinished {
            tracking.observe(snapshot)
            state.operations.failovers[id] = tracking
            effects += finished(tracking, &state)
        }
        return effects
    }

    static func rejected(_ replicaAddress: String, reason: String, _ state: inout AppState) -> [Effect] {
        guard let entry = state.operations.failovers.first(where: { $0.value.replicaAddress.description == replicaAddress && !$0.value.phase.isFinished }) else { return [] }
        let id = entry.key
        var tracking = entry.value
        tracking.reject(reason)
        state.operations.failovers[id] = tracking
        return finished(tracking, &state)
    }

    static func confirmed(_ replicaId: String, _ confirmation: FailoverConfirmation, _ state: inout AppState) -> [Effect] {
        guard var tracking = state.operations.failovers[replicaId], !tracking.phase.isFinished else { return [] }
        tracking.confirm(confirmation)
        state.operations.failovers[replicaId] = tracking
        return finished(tracking, &state)
    }

    private static func finished(_ tracking: FailoverTracking, _ state: inout AppState) -> [Effect] {
        let address = tracking.replicaAddress.description
        switch tracking.phase {
        case .waiting:
            return []
        case .succeeded(let seconds):
            state.status = "failover done: \(address) is primary (\(Format.seconds(seconds)))"
            state.operations.defaultFailed.remove(tracking.replicaId)
            return [.journal(JournalDraft(action: "failover", nodes: [address], commands: [tracking.mode.command.joined(separator: " ")],
                                          outcome: .succeeded, detail: "\(address) promoted after \(Format.seconds(seconds))"))]
        case .timedOut(let reason), .rejected(let reason):
            if tracking.mode == .default { state.operations.defaultFailed.insert(tracking.replicaId) }
            state.status = "failover \(tracking.mode.label) to \(address) failed: \(reason)\(tracking.mode == .default ? " (F again offers FORCE)" : "")"
            return [.journal(JournalDraft(action: "failover", nodes: [address], commands: [tracking.mode.command.joined(separator: " ")],
                                          outcome: .failed, detail: reason))]
        }
    }
}
