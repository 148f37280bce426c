import ShardtopCore

/// The words of the membership dialog at each stage: the prompt, the plan preview (the same
/// steps the headless commands print), the drain offer, the typed confirmation, the refusal.
extension DialogContent {
    static func membershipContent(_ dialog: MembershipDialog, state: AppState) -> DialogContent {
        let index = state.nodeIndex
        func name(_ id: String) -> String { index.node(id: id).map { "\($0.address)" } ?? Format.shortID(id) }
        let live = state.snapshot?.nodes.filter { !$0.isUnknownSeed && $0.isReachable }.count ?? 0
        let title = MembershipReducer.summary(dialog.request, state: state)
        let newNode = dialog.labSpare ? "a new lab server (started like the lab's nodes)" : (dialog.address.isEmpty ? "?" : dialog.address)

        switch dialog.stage {
        case .input:
            var lines: [Line] = []
            if dialog.labSpare {
                lines.append(Line(text: "new node  \(newNode)", role: .input))
            } else {
                lines.append(Line(text: "address   \(dialog.address)_", role: .input))
            }
            var hint = "Enter preview   Esc cancel"
            switch dialog.operation {
            case .add(let primaryId):
                let roles = ["empty primary"] + (primaryId.map { ["replica of \(name($0))"] } ?? [])
                let chosen = dialog.asReplica ? 1 : 0
                let text = roles.enumerated().map { $0.offset == chosen ? "[\($0.element)]" : " \($0.element) " }.joined(separator: " ")
                lines.append(Line(text: "as        \(text)", role: .input))
                if primaryId == nil { lines.append(Line(text: "select a primary first to add a replica of it", role: .dim)) }
                hint = primaryId == nil ? "Enter preview   Esc cancel" : "Tab role   Enter preview   Esc cancel"
                if !dialog.labSpare { lines.append(Line(text: "the node must be running, cluster-enabled and empty", role: .dim)) }
            case .replace(let deadId):
                lines.insert(Line(text: "dead node \(name(deadId))", role: .header), at: 0)
                if dialog.labOffered { hint = "Tab lab server/address   Enter preview   Esc cancel" }
            default:
                break
            }
            return DialogContent(title: title, lines: lines, hint: hint)

        case .offerDrain(let why):
            return DialogContent(title: title, lines: [
                Line(text: why, role: .warning),
                Line(text: "y drains them first (weighted, through the rebalance planner and the migration engine), then removes it.", role: .normal),
            ], hint: "Enter/y drain and remove   n/Esc cancel", danger: true)

        case .refused(let reasons):
            return DialogContent(title: "Cannot \(dialog.request.verb)", lines: reasons.map { Line(text: $0, role: .error) }, hint: "Enter/Esc close")

        case .preview:
            var lines: [Line] = []
            var hint = "Enter/y start   Esc cancel"
            var danger = false
            switch dialog.request {
            case .add(_, let primaryId):
                let members = state.snapshot?.nodes.filter { !$0.isUnknownSeed && $0.isReachable } ?? []
                let introducer = members.sorted { $0.address < $1.address }.first { $0.isPrimary }
                lines.append(Line(text: "add \(newNode)", role: .header))
                lines.append(Line(text: "  - preflight: it answers, is cluster-enabled, empty, knows no other cluster, compatible version\(primaryId == nil ? "" : ", enough maxmemory")", role: .dim))
                lines.append(Line(text: "  - CLUSTER MEET through \(introducer.map { "\($0.address)" } ?? "a live primary")"))
                lines.append(Line(text: "  - wait until all \(live) nodes know it"))
                if let primaryId {
                    lines.append(Line(text: "  - CLUSTER REPLICATE \(name(primaryId)) on it, then wait for its first sync"))
                } else {
                    lines.append(Line(text: "  - as an empty primary: B on the balance screen then moves slots onto it", role: .dim))
                }
            case .remove(let nodeId, let drain):
                danger = true
                if let snapshot = state.snapshot, case .success(let plan) = NodeRemovalPlanner.plan(snapshot, nodeId: nodeId, drain: drain) {
                    let text = NodeRemovalPlanText.lines(plan, snapshot: snapshot)
                    lines += text.prefix(1).map { Line(text: $0, role: .header) } + text.dropFirst().map { Line(text: $0) }
                    lines.append(Line(text: "It keeps running, reset and empty; it is not stopped.", role: .dim))
                    if let confirmation = plan.confirmation {
                        lines.append(Line(text: confirmation.warning, role: .danger))
                        lines.append(Line(text: "type \(confirmation.expected): \(dialog.typed)_", role: .input))
                        hint = "type the words, Enter remove   Esc cancel"
                    }
                } else {
                    lines.append(Line(text: "the node is no longer in the cluster as it was; Esc and look again", role: .error))
                }
            case .forget(let ids):
                danger = true
                lines.append(Line(text: "forget \(ids.count) failed node\(ids.count == 1 ? "" : "s") that own\(ids.count == 1 ? "s" : "") nothing:", role: .header))
                for id in ids {
                    let node = index.node(id: id)
                    lines.append(Line(text: "  \(node.map { "\($0.address)" } ?? "?") \(Format.shortID(id)) (\(node.map { $0.isPrimary ? "primary" : "replica" } ?? "?"), \(node?.health.rawValue ?? "?"))"))
                }
                lines.append(Line(text: "  - each is judged again on every live node's view; one any node still sees connected (a paused host) is refused", role: .dim))
                lines.append(Line(text: "  - CLUSTER FORGET on each of \(live) live nodes within the 60 s ban window, re-read until none lists it"))
            case .replace(let deadId, _):
                let primary = state.snapshot.flatMap { snapshot -> SnapshotNode? in
                    guard let dead = snapshot.node(id: deadId) else { return nil }
                    let ghost = Ghost(id: dead.id, address: dead.address, primaryId: dead.primaryId, wasPrimary: dead.isPrimary, knownBy: 0)
                    if case .success(let primary) = ReplacementPlanner.primary(for: ghost, snapshot: snapshot) { return primary }
                    return nil
                }
                lines.append(Line(text: "replace \(name(deadId)) with \(newNode)", role: .header))
                lines.append(Line(text: "  - preflight: it answers, is cluster-enabled, empty, enough maxmemory", role: .dim))
                lines.append(Line(text: "  - CLUSTER MEET, wait until all \(live) nodes know it"))
                lines.append(Line(text: "  - CLUSTER REPLICATE \(primary.map { "\($0.address)" } ?? "(no live primary to follow)"), wait for its first sync"))
                lines.append(Line(text: "  - CLUSTER FORGET \(Format.shortID(deadId)) on every live node within the 60 s ban window"))
            }
            lines.append(Line(text: "Journaled, and each step shows on the timeline; one operation at a time.", role: .dim))
            return DialogContent(title: "\(title)?", lines: lines, hint: hint, danger: danger)
        }
    }
}
