import ShardtopCore

/// The first screen: is the cluster all right, and if not, where is it hurting.
enum OverviewScreen {
    /// Rows, top to bottom: the verdict; the findings in full; one line per shard with its ops/s
    /// history; the latest events; the totals. Findings and shards come first; the events get what
    /// is left, so a big terminal shows more of what just happened instead of blank rows.
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard let snapshot = state.snapshot else { return }
        var y = area.y
        let tally = state.nodeTally
        drawBanner(&grid, y: y, snapshot: snapshot, findings: state.findings, tally: tally)
        y += 1
        let totalsRow = area.maxY - 1
        // Findings in full (wrapped, not cut), on at most a third of the screen (never fewer than
        // two rows); `check` lists them all.
        // Notes (severity info) are for the capacity screen and `check`, not this list.
        let problems = state.findings.filter { $0.severity != .info }
        let findingRows = max(2, area.height / 3)
        var used = 0
        var shown = 0
        for finding in problems {
            let marker = finding.severity == .error ? "! " : "- "
            let lines = ScreenText.wrap(finding.message, width: max(1, area.width - 4), maxLines: 3)
            // The last row is kept for "+N more" while any finding would be left out.
            let room = findingRows - used - (shown + 1 < problems.count ? 1 : 0)
            guard lines.count <= room else { break }
            for (offset, line) in lines.enumerated() {
                grid.put((offset == 0 ? marker : "  ") + line, x: 1, y: y, role: finding.severity == .error ? .error : .warning,
                         maxWidth: area.width - 2)
                y += 1
            }
            used += lines.count
            shown += 1
        }
        if problems.count > shown {
            grid.put("  +\(problems.count - shown) more findings (shardtop check lists them all)", x: 1, y: y, role: .dim)
            y += 1
        }
        y += 1
        guard y < totalsRow - 1 else { return }

        // The shard closest to full sits above the totals, only when some primary has a maxmemory
        // (without one there is nothing to be close to).
        var sectionsEnd = totalsRow
        if let closestToFull = CapacityText.closestToFullLine(state) {
            sectionsEnd -= 1
            grid.put(closestToFull.text, x: 1, y: sectionsEnd, role: closestToFull.role, maxWidth: area.width - 2)
        }
        y = drawShards(&grid, y: y, area: area, until: sectionsEnd, snapshot: snapshot, state: state, glyphs: glyphs)
        drawLatestEvents(&grid, y: y + 1, area: area, until: sectionsEnd, state: state)
        drawTotals(&grid, y: totalsRow, area: area, snapshot: snapshot, state: state, glyphs: glyphs)
    }

    static let columns: [(String, Int, Bool)] = [
        ("#", 3, false), ("PRIMARY", 21, false), ("REPLICAS", 7, false), ("SLOTS", 5, true),
        ("KEYS", 7, true), ("OPS/S", 7, true), ("MEMORY", 7, true), ("WORST LAG", 13, true),
    ]

    /// The shard table; returns the row after it. Every shard gets a row when it fits; when there
    /// are many, the latest events still keep some room.
    private static func drawShards(_ grid: inout Grid, y start: Int, area: Rect, until totalsRow: Int, snapshot: ClusterSnapshot,
                                   state: AppState, glyphs: Glyphs) -> Int {
        var y = start
        var x = 1
        for (title, width, right) in columns {
            grid.put(Format.cell(title, width, right: right), x: x, y: y, role: .header)
            x += width + 1
        }
        // The rest of a wide terminal shows each shard's ops/s over the last two minutes.
        let historyX = x + 1
        let historyWidth = (area.x + area.width) - 1 - historyX
        if historyWidth >= 10 { grid.put("OPS/S, LAST \(History.length) TICKS", x: historyX, y: y, role: .header, maxWidth: historyWidth) }
        y += 1
        // The events below want a blank, a title and their lines (one when there are none yet),
        // and get at most a third of what is left when the shards need the room.
        let left = totalsRow - y
        let eventsWanted = 2 + max(1, state.events.count)
        let rows = max(1, min(snapshot.shards.count, left - min(eventsWanted, left / 3)))
        let nodes = state.nodeIndex
        for (index, shard) in snapshot.shards.enumerated() {
            guard index < rows - (rows < snapshot.shards.count ? 1 : 0) else {
                grid.put("  \(snapshot.shards.count - index) more shards: see 2 Nodes", x: 1, y: y, role: .dim)
                y += 1
                break
            }
            drawShard(&grid, y: y, index: index, shard: shard, nodes: nodes, columns: columns, thresholds: state.lagThresholds)
            if historyWidth >= 10 {
                Bar.sparkline(into: &grid, x: historyX, y: y, width: historyWidth, values: state.history.opsByNode[shard.primaryId] ?? [], glyphs: glyphs)
            }
            y += 1
        }
        return y
    }

    /// The newest events, one line each, newest first (6 Events has them all, with filters).
    private static func drawLatestEvents(_ grid: inout Grid, y start: Int, area: Rect, until totalsRow: Int, state: AppState) {
        // The title and its lines, down to the row above the totals.
        let rows = totalsRow - start
        guard rows >= 2 else { return }
        grid.put("LATEST EVENTS", x: 1, y: start, role: .header)
        guard !state.events.isEmpty else {
            grid.put("none yet: they appear as the cluster changes (6 Events keeps them all)", x: 1, y: start + 1, role: .dim, maxWidth: area.width - 2)
            return
        }
        var y = start + 1
        for event in state.events.reversed().prefix(rows - 1) {
            var x = grid.put(Format.clock(event.time), x: 1, y: y, role: .dim) + 1
            x = grid.put(Format.cell(event.severity.rawValue, 7), x: x, y: y, role: EventsScreen.role(event.severity)) + 1
            grid.put(event.message, x: x, y: y, maxWidth: (area.x + area.width) - 1 - x)
            y += 1
        }
    }

    /// Totals with the ops/s history, newest on the right.
    private static func drawTotals(_ grid: inout Grid, y totalsRow: Int, area: Rect, snapshot: ClusterSnapshot, state: AppState, glyphs: Glyphs) {
        let tally = state.nodeTally
        let keys = tally.primaryKeys
        let ops = tally.primaryOps
        let memory = tally.memory
        var tx = grid.put("total  \(snapshot.shards.count) shards  \(Format.count(keys)) keys  \(Format.count(ops)) ops/s  \(Format.bytes(memory))  ",
                          x: 1, y: totalsRow, role: .header)
        tx = grid.put("ops/s ", x: tx, y: totalsRow, role: .dim)
        let sparkWidth = max(0, area.width - tx - 1)
        Bar.sparkline(into: &grid, x: tx, y: totalsRow, width: sparkWidth, values: state.history.totalOps, glyphs: glyphs)
    }

    static func drawBanner(_ grid: inout Grid, y: Int, snapshot: ClusterSnapshot, findings: [Finding], tally: NodeTally) {
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        let verdict = errors > 0 ? (snapshot.state == "ok" ? " DEGRADED " : " DOWN ") : warnings > 0 ? " OK, WITH WARNINGS " : " HEALTHY "
        let role: StyleRole = errors > 0 ? .error : warnings > 0 ? .warning : .ok
        var x = grid.put(verdict, x: 1, y: y, role: role)
        let up = tally.up
        let unreachable = tally.unreachable
        let failed = tally.failed
        x = grid.put(" slots \(snapshot.slotsCovered)/\(hashSlotCount)  up \(up)", x: x, y: y)
        x = grid.put(" unreach \(unreachable)", x: x, y: y, role: unreachable > 0 ? .error : .normal)
        x = grid.put(" failed \(failed)", x: x, y: y, role: failed > 0 ? .error : .normal)
        x = grid.put("  open \(snapshot.openSlotNumbers.count)", x: x, y: y, role: snapshot.openSlots.isEmpty ? .normal : .warning)
        grid.put("  findings \(errors)E/\(warnings)W", x: x, y: y, role: errors > 0 ? .error : warnings > 0 ? .warning : .normal)
    }

    static func drawShard(
        _ grid: inout Grid, y: Int, index: Int, shard: Shard, nodes: NodeIndex,
        columns: [(String, Int, Bool)], thresholds: LagThresholds
    ) {
        guard let primary = nodes.node(id: shard.primaryId) else { return }
        let replicas = shard.replicaIds.compactMap { nodes.node(id: $0) }
        let healthyReplicas = replicas.filter { $0.health == .ok }.count
        let worst = replicas.max { ($0.lagBytes ?? 0) < ($1.lagBytes ?? 0) }
        let lagging = replicas.contains { thresholds.isLagging($0) || $0.primaryLinkStatus == "down" }
        let cells: [(String, StyleRole)] = [
            ("#\(index + 1)", StyleRole.shard(index)),
            ("\(primary.address)", primary.health == .ok ? .primary : .error),
            ("\(healthyReplicas)/\(replicas.count)ok", replicas.isEmpty || healthyReplicas < replicas.count ? .warning : .normal),
            ("\(primary.slotCount)", .normal),
            (Format.count(primary.keys), .normal),
            (Format.count(primary.opsPerSec), .normal),
            (Format.bytes(primary.usedMemory), .normal),
            (worst.map { "\(Format.bytes($0.lagBytes))/\(Format.lagSeconds($0.lagSeconds))" } ?? "-", lagging ? .warning : .normal),
        ]
        var x = 1
        for ((text, role), (_, width, right)) in zip(cells, columns) {
            grid.put(Format.cell(text, width, right: right), x: x, y: y, role: role)
            x += width + 1
        }
    }
}
