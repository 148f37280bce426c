import ShardtopCore

/// The only place state changes. Pure: returns effects for the outside world to perform.
public enum Reducer {
    public static let intervals: [Double] = [0.25, 0.5, 1, 2, 5, 10, 30]

    /// Decodes a key in the current context: a filter being typed takes every printable key;
    /// otherwise the binding table decides. A disabled binding explains itself in the status line.
    public static func handle(key: Key, state: inout AppState) -> [Effect] {
        defer { SnapshotViews.refresh(&state) }
        if key == .resize { return [] }
        if state.dialog != nil { return ActionReducer.handleDialogKey(key, state: &state) }
        if key == .escape, state.screen == .slots, state.slots.selectionAnchor != nil {
            state.slots.selectionAnchor = nil
            state.status = "range selection dropped"
            return []
        }
        if let editing = editingFilter(state) {
            switch key {
            case .enter: return reduce(&state, .filterDone)
            case .escape: return reduce(&state, .filterCancel)
            case .backspace: return reduce(&state, .filterBackspace)
            case .character(let c): return reduce(&state, .filterInput(c))
            default: _ = editing; return []
            }
        }
        if state.showHelp, key == .escape { return reduce(&state, .toggleHelp) }
        guard let binding = Bindings.binding(for: key, on: state.screen) else { return [] }
        if let reason = binding.disabledReason(state) {
            state.status = "\(binding.label): \(reason)"
            return []
        }
        return reduce(&state, binding.action)
    }

    private static func editingFilter(_ state: AppState) -> TextFilter? {
        switch state.screen {
        case .nodes where state.nodes.filter.editing: state.nodes.filter
        case .events where state.eventFilter.editing: state.eventFilter
        case .logs where state.logs.search.editing: state.logs.search
        default: nil
        }
    }

    /// Applies an action, then brings the snapshot's derived views up to date (SnapshotViews), so
    /// the frames and keys after it read them instead of deriving them again.
    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        defer { SnapshotViews.refresh(&state) }
        return apply(&state, action)
    }

    private static func apply(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .quit:
            // Quitting mid-migration would close the connections mid-round and leave slots open:
            // cancel first (the slots in progress finish), and quit once the engine has stopped.
            if var run = state.operations.migration {
                run.cancelling = true
                run.quitWhenDone = true
                state.operations.migration = run
                state.status = "quitting after the migration stops: finishing the slots in progress, none is left open"
                return [.cancelMigration]
            }
            return [.quit]
        case .showScreen(let screen):
            state.screen = screen
            state.showHelp = false
            return screen == .slots && state.slots.overlay == .keys ? [.requestSlotKeys] : []
        case .nextScreen:
            return reduce(&state, .showScreen(state.screen.next))
        case .previousScreen:
            return reduce(&state, .showScreen(state.screen.previous))
        case .toggleHelp:
            state.showHelp.toggle()
        case .togglePause:
            state.paused.toggle()
            state.status = state.paused ? "paused: press p to resume" : "resumed"
            return [.setPaused(state.paused)]
        case .faster, .slower:
            let index = intervals.firstIndex { $0 >= state.interval } ?? 2
            let next = action == .faster ? max(0, index - 1) : min(intervals.count - 1, index + 1)
            state.interval = intervals[next]
            state.status = "refresh every \(Format.seconds(state.interval))"
            return [.setInterval(state.interval)]
        case .cycleTheme:
            return [.cycleTheme]
        case .moveUp, .moveDown, .moveLeft, .moveRight, .pageUp, .pageDown, .jumpTop, .jumpBottom:
            move(&state, action)
        case .nextSortColumn:
            let all = NodeColumn.allCases
            state.nodes.sortColumn = all[(state.nodes.sortColumn.rawValue + 1) % all.count]
            state.status = "sorted by \(NodesScreenModel.title(state.nodes.sortColumn))"
        case .reverseSort:
            state.nodes.ascending.toggle()
        case .startFilter:
            switch state.screen {
            case .events: state.eventFilter.editing = true
            case .logs: state.logs.search.editing = true
            default: state.nodes.filter.editing = true
            }
        case .filterInput(let character) where state.screen == .logs:
            state.logs.search.text.append(character)
            state.logs.scroll = 0
        case .filterBackspace where state.screen == .logs:
            _ = state.logs.search.text.popLast()
        case .filterCancel where state.screen == .logs:
            state.logs.search = TextFilter()
        case .filterInput(let character):
            if state.screen == .events { state.eventFilter.text.append(character); state.eventSelected = 0 } else {
                state.nodes.filter.text.append(character)
                state.nodes.selected = 0
            }
        case .filterBackspace:
            if state.screen == .events { _ = state.eventFilter.text.popLast() } else { _ = state.nodes.filter.text.popLast() }
        case .filterDone:
            state.nodes.filter.editing = false
            state.eventFilter.editing = false
            state.logs.search.editing = false
        case .filterCancel:
            if state.screen == .events { state.eventFilter = TextFilter() } else { state.nodes.filter = TextFilter() }
        case .openDetail:
            if NodesScreenModel.selectedNode(state) != nil { state.nodes.detailOpen = true }
        case .back:
            if state.showHelp { state.showHelp = false }
            else if state.screen == .events { state.eventFilter = TextFilter() }
            else if state.screen == .logs { state.logs.search = TextFilter() }
            else if state.nodes.detailOpen { state.nodes.detailOpen = false }
            else { state.nodes.filter = TextFilter() }
        case .cycleOverlay:
            let all = SlotMapView.Overlay.allCases
            let index = all.firstIndex(of: state.slots.overlay) ?? 0
            state.slots.overlay = all[(index + 1) % all.count]
            state.status = "overlay: \(state.slots.overlay.rawValue)"
            return state.slots.overlay == .keys ? [.requestSlotKeys] : []
        case .labKill, .labPause, .labResume:
            guard let node = NodesScreenModel.selectedNode(state) else { return [] }
            let signal: LabSignal = action == .labKill ? .kill : action == .labPause ? .pause : .resume
            state.status = "lab: \(signal.rawValue) \(node.address)"
            return [.labSignal(signal, node.address.description)]
        case .failover:
            return ActionReducer.openFailover(&state)
        case .markSlots:
            return ActionReducer.markSlots(&state)
        case .migrateFromNode:
            return ActionReducer.migrateFromNode(&state)
        case .rebalance:
            return ActionReducer.rebalance(&state)
        case .toggleMigrationPause:
            return ActionReducer.togglePause(&state)
        case .cancelMigration:
            return ActionReducer.cancel(&state)
        case .backup:
            return BackupReducer.open(&state)
        case .addNode:
            return MembershipReducer.openAdd(&state, labSpare: false)
        case .labAddNode:
            return MembershipReducer.openAdd(&state, labSpare: true)
        case .removeNode:
            return MembershipReducer.openRemove(&state)
        case .forgetGhosts:
            return MembershipReducer.openForget(&state)
        case .replaceNode:
            return MembershipReducer.openReplace(&state)
        case .membershipProgress(let line):
            MembershipReducer.progressed(line, &state)
        case .membershipFinished(let summary, _):
            MembershipReducer.finished(summary, &state)
        case .labServerStarted(let address):
            state.labAddresses.insert(address)
        case .backupProgress(let progress):
            BackupReducer.progressed(progress, &state)
        case .backupFinished(let summary, let succeeded):
            return BackupReducer.finished(summary, succeeded: succeeded, &state)
        case .failoverRejected(let address, let reason):
            return ActionReducer.rejected(address, reason: reason, &state)
        case .failoverConfirmation(let replicaId, let confirmation):
            return ActionReducer.confirmed(replicaId, confirmation, &state)
        case .migrationSurveyed(let plans, let id):
            ActionReducer.surveyed(plans, id: id, &state)
        case .migrationSurveyFailed(let reason, let id):
            ActionReducer.surveyFailed(reason, id: id, &state)
        case .actionAccessChecked(let access):
            ActionReducer.accessChecked(access, &state)
        case .migrationProgress(let progress):
            state.operations.migration?.progress = progress
        case .migrationFinished(let summary, _):
            let quit = state.operations.migration?.quitWhenDone ?? false
            state.operations.migration = nil
            state.status = summary
            if quit { return [.quit] }
        case .journalArrived(let records):
            appendEvents(&state, records.map(\.event))
        case .logLines(let nodeId, let lines, let source, let status, let restarted):
            LogsReducer.arrived(nodeId, lines: lines, source: source, status: status, restarted: restarted, &state)
        case .toggleMergedLogs:
            state.logs.merged.toggle()
            state.logs.scroll = 0
            state.status = state.logs.merged ? "logs: all nodes, interleaved by time" : "logs: the selected node (Nodes screen selection)"
        case .cycleLogLevel:
            LogsReducer.cycleLevel(&state)
        case .restartLog:
            guard let node = NodesScreenModel.selectedNode(state) else { return [] }
            state.status = "restarting the log source of \(node.address)"
            return [.restartLog(nodeId: node.id)]
        case .jumpToLog:
            LogsReducer.jumpToEvent(&state)
        case .replayKey(let request):
            return [.replay(request)]
        case .replayStatus(let status):
            state.replay = status
            state.paused = status.paused
        case .replayRebuild(let ticks):
            state.snapshot = nil
            state.events = []
            state.history = History()
            for tick in ticks {
                state.now = tick.time
                _ = reduce(&state, .snapshotArrived(tick.snapshot, tick.events))
            }
        case .snapshotArrived(let snapshot, let events):
            return arrived(PreparedSnapshot(snapshot, for: state), events, &state)
        case .slotKeysArrived(let counts):
            state.slots.keysPerSlot = counts
        case .resized(let width, let height):
            state.width = width
            state.height = height
        case .clock(let now):
            state.now = now
        case .status(let text):
            state.status = text
        }
        return []
    }

    /// A new snapshot, with what it derives already worked out (`PreparedSnapshot`). The dashboard
    /// prepares it before taking its lock, so the only work left here is installing it.
    public static func arrive(_ state: inout AppState, _ prepared: PreparedSnapshot, events: [ClusterEvent]) -> [Effect] {
        defer { SnapshotViews.refresh(&state) }
        return arrived(prepared, events, &state)
    }

    private static func arrived(_ prepared: PreparedSnapshot, _ events: [ClusterEvent], _ state: inout AppState) -> [Effect] {
        let snapshot = prepared.snapshot
        state.snapshot = snapshot
        state.history = prepared.history
        state.forecasts = prepared.forecasts
        state.findings = prepared.sameThresholds(as: state) ? prepared.findings : ClusterCheck.findings(
            snapshot, lag: state.lagThresholds, capacity: state.capacityThresholds,
            persistence: state.persistenceThresholds, forecasts: state.forecasts
        )
        // Made for the sort and filter of when it was prepared; refresh redoes the rows if those changed since.
        state.views = prepared.views
        appendEvents(&state, events)
        SnapshotViews.refresh(&state)
        clampSelection(&state)
        return ActionReducer.observe(snapshot, &state)
    }

    private static func move(_ state: inout AppState, _ action: Action) {
        let page = max(1, state.height - 8)
        switch state.screen {
        case .logs:
            LogsReducer.scroll(&state, action)
        case .events:
            let count = EventsScreen.filtered(state).count
            var selected = state.eventSelected
            switch action {
            case .moveUp: selected -= 1
            case .moveDown: selected += 1
            case .pageUp: selected -= page
            case .pageDown: selected += page
            case .jumpTop: selected = 0
            case .jumpBottom: selected = count - 1
            default: break
            }
            state.eventSelected = min(max(0, selected), max(0, count - 1))
        case .slots:
            let step = SlotMapLayout.slotsPerCell(width: state.width, height: state.height)
            let row = SlotMapLayout.columns(width: state.width) * step
            var cursor = state.slots.cursor
            switch action {
            case .moveLeft: cursor -= step
            case .moveRight: cursor += step
            case .moveUp: cursor -= row
            case .moveDown: cursor += row
            case .pageUp: cursor -= row * 4
            case .pageDown: cursor += row * 4
            case .jumpTop: cursor = 0
            case .jumpBottom: cursor = hashSlotCount - 1
            default: break
            }
            state.slots.cursor = min(max(0, cursor), hashSlotCount - 1)
        default:
            let count = NodesScreenModel.rows(state).count
            var selected = state.nodes.selected
            switch action {
            case .moveUp: selected -= 1
            case .moveDown: selected += 1
            case .pageUp: selected -= page
            case .pageDown: selected += page
            case .jumpTop: selected = 0
            case .jumpBottom: selected = count - 1
            default: break
            }
            state.nodes.selected = min(max(0, selected), max(0, count - 1))
        }
    }

    private static func appendEvents(_ state: inout AppState, _ events: [ClusterEvent]) {
        insertByTime(&state, events)
    }

    /// Events from snapshots, logs and the journal share one time axis: each goes in at its own
    /// time (almost always the end, so this is cheap), and the list stays capped.
    static func insertByTime(_ state: inout AppState, _ events: [ClusterEvent]) {
        for event in events {
            if let last = state.events.last, last.time > event.time {
                let index = state.events.lastIndex { $0.time <= event.time }.map { $0 + 1 } ?? 0
                state.events.insert(event, at: index)
            } else {
                state.events.append(event)
            }
        }
        if state.events.count > AppState.eventCap { state.events.removeFirst(state.events.count - AppState.eventCap) }
        // The highlight stays on the entry it was on as newer ones arrive above it.
        if state.eventSelected > 0 { state.eventSelected = min(state.eventSelected + events.count, max(0, state.events.count - 1)) }
    }

    private static func clampSelection(_ state: inout AppState) {
        let count = NodesScreenModel.rows(state).count
        state.nodes.selected = min(state.nodes.selected, max(0, count - 1))
    }
}
