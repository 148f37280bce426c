import ShardtopCore

/// Draws the open dialog as a box over the middle of the screen. The content comes from
/// DialogContent, so tests can check the words without the box.
enum DialogView {
    static func draw(_ dialog: ActionDialog, into grid: inout Grid, area: Rect, state: AppState) {
        let content = DialogContent.make(dialog, state: state)
        let width = min(area.width - 2, 78)
        let inner = width - 4
        var lines: [(String, StyleRole)] = []
        for line in content.lines {
            for piece in ScreenText.wrap(line.text, width: inner, maxLines: 4) { lines.append((piece, line.role)) }
        }
        let height = min(area.height, lines.count + 4)
        let x = area.x + (area.width - width) / 2
        let y = area.y + max(0, (area.height - height) / 2)
        grid.fill(x: x, y: y, width: width, height: height, role: .dialog)
        grid.fill(x: x, y: y, width: width, height: 1, role: content.danger ? .danger : .title)
        grid.put(" \(content.title) ", x: x + 1, y: y, role: content.danger ? .danger : .title, maxWidth: width - 2)
        for (index, line) in lines.prefix(height - 3).enumerated() {
            grid.put(line.0, x: x + 2, y: y + 2 + index, role: line.1 == .normal ? .dialog : line.1, maxWidth: inner)
        }
        let hint = content.hint
        grid.put(hint, x: x + 2, y: y + height - 1, role: .footerKey, maxWidth: inner)
    }
}

/// The words of a dialog: title, lines with roles, and the key hint.
struct DialogContent {
    struct Line {
        var text: String
        var role: StyleRole = .normal
    }

    var title: String
    var lines: [Line]
    var hint: String
    var danger = false

    static func make(_ dialog: ActionDialog, state: AppState) -> DialogContent {
        switch dialog {
        case .failover(let failover): failoverContent(failover)
        case .migration(let migration): migrationContent(migration, state: state)
        case .backup(let backup): BackupReducer.content(backup)
        case .membership(let membership): membershipContent(membership, state: state)
        }
    }

    static func failoverContent(_ dialog: FailoverDialog) -> DialogContent {
        let p = dialog.preflight
        var lines: [Line] = [
            Line(text: "replica   \(p.replica.address) \(Format.shortID(p.replica.id)) of \(p.primary.map { "\($0.address)" } ?? "?")"),
            Line(text: "command   \(dialog.mode.map { p.command($0) } ?? "none available")", role: .header),
            Line(text: "link      \(p.linkStatus ?? "unknown")", role: p.linkStatus == "up" ? .ok : .error),
            Line(text: "lag       \(p.lagBytes.map { "\($0) bytes" } ?? "unknown"), \(p.lagSeconds.map { "\($0) s" } ?? "unknown")",
                 role: (p.lagBytes ?? 0) > 0 ? .warning : .ok),
            Line(text: "voters    \(p.primariesReachable) of \(p.primariesTotal) primaries reachable (\(p.majorityReachable ? "majority" : "NO majority"))",
                 role: p.majorityReachable ? .ok : .error),
            Line(text: "nofailover \(p.noFailoverFlag ? "SET" : "not set")", role: p.noFailoverFlag ? .warning : .dim),
        ]
        lines += p.blockers.map { Line(text: "BLOCKED: \($0)", role: .error) }
        lines += p.warnings.map { Line(text: "! \($0)", role: .warning) }
        if dialog.modes.count > 1 {
            let modes = dialog.modes.enumerated().map { $0.offset == dialog.modeIndex ? "[\($0.element.label)]" : " \($0.element.label) " }
            lines.append(Line(text: "mode      " + modes.joined(separator: " "), role: .input))
        }
        var hint = "Enter/y send   Esc cancel"
        var danger = false
        if let confirmation = dialog.confirmation {
            danger = true
            lines.append(Line(text: confirmation.warning, role: .danger))
            lines.append(Line(text: "type \(confirmation.expected): \(dialog.typed)_", role: .input))
            hint = "type \(confirmation.expected), Enter send   \(dialog.modes.count > 1 ? "Tab mode   " : "")Esc cancel"
        } else if dialog.modes.count > 1 {
            hint = "Enter/y send   Tab mode   Esc cancel"
        }
        if dialog.modes.isEmpty { hint = "Esc close" }
        return DialogContent(title: "Failover to \(p.replica.address)?", lines: lines, hint: hint, danger: danger)
    }

    static func migrationContent(_ dialog: MigrationDialog, state: AppState) -> DialogContent {
        let index = state.nodeIndex
        func name(_ id: String) -> String { index.node(id: id).map { "\($0.address)" } ?? Format.shortID(id) }
        var what: String
        var verb = "Migrate"
        switch dialog.source {
        case .slots(let ranges): what = "slots \(SnapshotDiff.describe(ranges))"
        case .node(let id, let count): what = "\(count.isEmpty ? "?" : count) slots from \(name(id))"
        case .rebalance(let plan):
            what = "\(plan.slotsMoved) slots in \(plan.moves.count) move\(plan.moves.count == 1 ? "" : "s")"
            verb = "Rebalance"
        }
        switch dialog.stage {
        case .pickTarget:
            var lines = [Line(text: "move \(what) to:", role: .header)]
            for (offset, id) in dialog.targets.enumerated() {
                let node = index.node(id: id)
                let slots = node.map { "\($0.slotCount) slots" } ?? ""
                lines.append(Line(text: "\(offset == dialog.targetIndex ? ">" : " ") \(name(id))  \(slots)", role: offset == dialog.targetIndex ? .selected : .normal))
            }
            if case .node = dialog.source { lines.append(Line(text: "type digits to change the slot count", role: .dim)) }
            return DialogContent(title: "Migrate \(what)", lines: lines, hint: "j/k target   Enter plan   Esc cancel")
        case .surveying:
            return DialogContent(title: "\(verb) \(what)", lines: [Line(text: "counting keys and sampling the biggest ones...", role: .dim)], hint: "Esc cancel")
        case .preview(let plans):
            if case .rebalance(let rebalance) = dialog.source {
                return rebalanceContent(rebalance, plans: plans, title: "\(verb) \(what)?", name: name)
            }
            var lines: [Line] = []
            for plan in plans {
                lines.append(Line(text: "\(plan.slots.count) slots \(SnapshotDiff.describe(plan.ranges)): \(plan.sourceAddress) -> \(plan.targetAddress)", role: .header))
                lines.append(Line(text: "  keys \(plan.keyCount.map(String.init) ?? "?"), about \(Format.seconds(plan.estimatedSeconds())), path \(plan.path.rawValue)"))
                lines.append(Line(text: "  \(plan.pathReason)", role: .dim))
                if let biggest = plan.bigKeys.first {
                    lines.append(Line(text: "  biggest sampled key \(biggest.key) \(Format.bytes(biggest.bytes))", role: .dim))
                }
                lines += plan.warnings.map { Line(text: "  ! \($0)", role: .warning) }
            }
            lines.append(Line(text: "A slot is finalised only after the source holds no key in it; P pauses, X cancels.", role: .dim))
            return DialogContent(title: "Migrate \(what)?", lines: lines, hint: "Enter/y start   Esc cancel", danger: true)
        case .refused(let reasons):
            return DialogContent(title: "Cannot \(verb.lowercased()) \(what)", lines: reasons.map { Line(text: $0, role: .error) }, hint: "Enter/Esc close")
        }
    }
}
