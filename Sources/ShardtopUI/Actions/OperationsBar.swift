import ShardtopCore

/// One line at the bottom of the body while something is in flight: the migration's progress,
/// and every failover being followed. It is drawn on every screen so the operator never loses it.
enum OperationsBar {
    static func lines(_ state: AppState) -> [(String, StyleRole)] {
        var lines: [(String, StyleRole)] = []
        if let run = state.operations.migration {
            if let progress = run.progress {
                let eta = progress.etaSeconds.map { Format.seconds($0) } ?? "?"
                let status = run.cancelling ? "cancelling" : run.paused ? "PAUSED" : progress.phase
                lines.append(("migrating \(progress.sourceAddress)->\(progress.targetAddress) \(progress.slotsDone)/\(progress.slotsTotal) slots  \(progress.keysMoved) keys  \(Int(progress.keysPerSecond)) keys/s  ETA \(eta)  [\(status)]  P pause X cancel", run.paused ? .warning : .info))
            } else {
                lines.append(("migrating \(run.summary): starting", .info))
            }
        }
        if let membership = state.operations.membership { lines.append((MembershipReducer.barLine(membership), .info)) }
        if let backup = state.operations.backup { lines.append((BackupReducer.barLine(backup), backup.progress.failed > 0 ? .warning : .info)) }
        for tracking in state.operations.failovers.values.sorted(by: { $0.sentAt < $1.sentAt }) where !tracking.phase.isFinished {
            let elapsed = max(0, state.now - tracking.sentAt)
            lines.append(("failover \(tracking.mode.label) -> \(tracking.replicaAddress): \(tracking.lastObservation) (\(Format.seconds(elapsed.rounded())))", .warning))
        }
        return lines
    }

    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        let lines = lines(state)
        guard !lines.isEmpty else { return }
        let shown = lines.prefix(2)
        for (offset, line) in shown.enumerated() {
            let y = area.maxY - shown.count + offset
            grid.fill(x: area.x, y: y, width: area.width, height: 1, role: line.1)
            grid.put(" \(line.0)", x: area.x, y: y, role: line.1, maxWidth: area.width)
        }
    }
}
