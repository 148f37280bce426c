import ShardtopCore

/// Opening, filling in, confirming and following add / remove / forget / replace from the
/// dashboard. Pure; the app runs the change (the same MembershipSteps as the headless commands)
/// when the reducer returns `.startMembership`, and reports progress back as actions.
enum MembershipReducer {
    // MARK: opening

    /// `A` (typed address) and, in a lab, `N` (a new lab server): the role defaults to a replica
    /// of the selected primary (or of the selected replica's primary) when there is one.
    static func openAdd(_ state: inout AppState, labSpare: Bool) -> [Effect] {
        guard let snapshot = state.snapshot else { return [] }
        var primaryId: String?
        if let node = NodesScreenModel.selectedNode(state) {
            let id = node.isPrimary ? node.id : node.primaryId
            if let id, let primary = snapshot.node(id: id), primary.isPrimary, primary.isReachable { primaryId = id }
        }
        var dialog = MembershipDialog(operation: .add(primaryId: primaryId), stage: .input)
        dialog.labSpare = labSpare
        dialog.asReplica = primaryId != nil
        state.dialog = .membership(dialog)
        return []
    }

    /// `D`: remove the selected node. A slot owner is offered a drain first; anything else the
    /// planner refuses is said in the dialog.
    static func openRemove(_ state: inout AppState) -> [Effect] {
        guard let snapshot = state.snapshot, let node = NodesScreenModel.selectedNode(state) else { return [] }
        var dialog = MembershipDialog(operation: .remove(nodeId: node.id), stage: .preview)
        switch NodeRemovalPlanner.plan(snapshot, nodeId: node.id, drain: false) {
        case .success:
            break
        case .failure(let refusal):
            if node.isPrimary, node.slotCount > 0, case .success = NodeRemovalPlanner.plan(snapshot, nodeId: node.id, drain: true) {
                dialog.stage = .offerDrain("\(node.address) owns \(node.slotCount) slots: they must move to the other primaries first.")
            } else {
                dialog.stage = .refused(["refusing to remove \(node.address): \(refusal)"])
            }
        }
        state.dialog = .membership(dialog)
        return []
    }

    /// `f` on the overview: forget the nodes the cluster marks failed that own nothing. The app
    /// judges each again against every live node's view (a paused node is refused) before sending.
    static func openForget(_ state: inout AppState) -> [Effect] {
        guard let snapshot = state.snapshot else { return [] }
        let ghosts = ghostCandidates(snapshot)
        guard !ghosts.isEmpty else {
            state.status = "forget: no failed node that owns nothing (no ghost to forget)"
            return []
        }
        state.dialog = .membership(MembershipDialog(operation: .forget(ids: ghosts.map(\.id)), stage: .preview))
        return []
    }

    /// `R` on a failed node's row: a new node takes its place as a replica. In a lab the default
    /// is a new lab server; Tab switches to typing an address.
    static func openReplace(_ state: inout AppState) -> [Effect] {
        guard let node = NodesScreenModel.selectedNode(state) else { return [] }
        guard node.health == .fail || node.health == .noaddr, node.slotCount == 0 else {
            state.status = "replace: \(node.address) is not a failed node that owns nothing (select a failed node's row)"
            return []
        }
        var dialog = MembershipDialog(operation: .replace(deadId: node.id), stage: .input)
        dialog.labOffered = state.isLab
        dialog.labSpare = state.isLab
        state.dialog = .membership(dialog)
        return []
    }

    /// The snapshot's view of ghosts: failed, owning no slot. Only a preview; the app decides.
    static func ghostCandidates(_ snapshot: ClusterSnapshot) -> [SnapshotNode] {
        snapshot.nodes.filter { !$0.isUnknownSeed && ($0.health == .fail || $0.health == .noaddr) && $0.slotCount == 0 }
            .sorted { $0.address < $1.address }
    }

    // MARK: keys

    static func key(_ key: Key, _ dialog: inout MembershipDialog, _ state: inout AppState) -> [Effect] {
        switch dialog.stage {
        case .input:
            switch key {
            case .tab, .backTab, .left, .right:
                if case .add(let primaryId) = dialog.operation {
                    if primaryId != nil { dialog.asReplica.toggle() }
                } else if dialog.labOffered {
                    dialog.labSpare.toggle()
                }
            case .backspace:
                _ = dialog.address.popLast()
            case .character(let c) where !dialog.labSpare:
                if dialog.address.count < 255, !c.isWhitespace { dialog.address.append(c) }
            case .enter:
                if !dialog.labSpare && NodeAddress(dialog.address) == nil {
                    state.status = dialog.address.isEmpty ? "type the new node's address (host:port)" : "\(dialog.address) is not host:port"
                    return []
                }
                dialog.stage = guardLines(dialog, state).map(MembershipDialog.Stage.refused) ?? .preview
            default:
                break
            }
        case .offerDrain:
            if key == .enter || key == .character("y") {
                dialog.drain = true
                dialog.stage = guardLines(dialog, state).map(MembershipDialog.Stage.refused) ?? .preview
            } else if key == .character("n") {
                state.dialog = nil
                state.status = "cancelled: nothing was sent"
            }
        case .preview:
            let confirmation = typedConfirmation(dialog, state)
            switch key {
            case .enter:
                return start(dialog, confirmation: confirmation, &state)
            case .character("y") where confirmation == nil:
                return start(dialog, confirmation: nil, &state)
            case .character("n") where confirmation == nil:
                state.dialog = nil
                state.status = "cancelled: nothing was sent"
            case .character(let c) where confirmation != nil:
                if dialog.typed.count < 80 { dialog.typed.append(c) }
            case .backspace:
                _ = dialog.typed.popLast()
            default:
                break
            }
        case .refused:
            if key == .enter { state.dialog = nil }
        }
        return []
    }

    /// The guards the reducer can apply from state: one operation at a time, and no other problem
    /// in the cluster. The app applies them again, with fresh reads, before sending.
    static func guardLines(_ dialog: MembershipDialog, _ state: AppState) -> [String]? {
        if let busy = Bindings.acting(state) { return ["refusing to \(dialog.request.verb): \(busy)"] }
        guard let snapshot = state.snapshot else { return ["no snapshot yet"] }
        let problems = ActionPreconditions.blockingProblems(snapshot, exceptAbout: dialog.exempt)
        guard !problems.isEmpty else { return nil }
        return ActionPreconditions.refusalLines(problems, snapshot: snapshot) {
            "refusing to \(dialog.request.verb) while the cluster has \($0) other problem\($0 == 1 ? "" : "s"):"
        }
    }

    static func typedConfirmation(_ dialog: MembershipDialog, _ state: AppState) -> TypedConfirmation? {
        guard case .remove(let nodeId) = dialog.operation, let snapshot = state.snapshot,
              case .success(let plan) = NodeRemovalPlanner.plan(snapshot, nodeId: nodeId, drain: dialog.drain) else { return nil }
        return plan.confirmation
    }

    private static func start(_ dialog: MembershipDialog, confirmation: TypedConfirmation?, _ state: inout AppState) -> [Effect] {
        if let confirmation, !confirmation.accepts(dialog.typed) {
            state.status = "type \(confirmation.expected) exactly to confirm (Esc cancels)"
            return []
        }
        // Re-checked at the moment of confirming: the cluster may have changed since the preview.
        if let lines = guardLines(dialog, state) {
            var changed = dialog
            changed.stage = .refused(lines)
            state.dialog = .membership(changed)
            return []
        }
        state.dialog = nil
        let text = summary(dialog.request, state: state)
        state.operations.membership = MembershipRun(summary: text)
        state.status = "\(text): started"
        return [.startMembership(dialog.request)]
    }

    static func summary(_ request: MembershipRequest, state: AppState) -> String {
        let index = state.nodeIndex
        func name(_ id: String) -> String { index.node(id: id).map { "\($0.address)" } ?? Format.shortID(id) }
        switch request {
        case .add(let address, let primaryId):
            return "add \(address ?? "a new lab server")\(primaryId.map { " as replica of \(name($0))" } ?? " as empty primary")"
        case .remove(let nodeId, let drain):
            return "remove \(name(nodeId))\(drain ? " (drain first)" : "")"
        case .forget(let ids):
            return "forget \(ids.count == 1 ? name(ids[0]) : "\(ids.count) nodes")"
        case .replace(let deadId, let address):
            return "replace \(name(deadId)) with \(address ?? "a new lab server")"
        }
    }

    // MARK: results from the app

    static func progressed(_ line: String, _ state: inout AppState) {
        state.operations.membership?.line = line
    }

    static func finished(_ summary: String, _ state: inout AppState) {
        state.operations.membership = nil
        state.status = summary
    }

    static func barLine(_ run: MembershipRun) -> String { "\(run.summary): \(run.line)" }
}
