import ShardtopCore

/// The first screen: is the cluster all right, and if not, where is it hurting.
enum OverviewScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard let snapshot = state.snapshot else { return }
        var y = area.y
        let tally = state.nodeTally
        drawBanner(&grid, y: y, snapshot: snapshot, findings: state.findings, tally: tally)
        y += 1
        for finding in state.findings.prefix(2) {
            grid.put("\(finding.severity == .error ? "!" : "-") \(finding.message)", x: 1, y: y,
                     role: finding.severity == .error ? .error : .warning, maxWidth: area.width - 2)
            y += 1
        }
        if state.findings.count > 2 {
            grid.put("  +\(state.findings.count - 2) more findings (shardtop check lists them all)", x: 1, y: y, role: .dim)
            y += 1
        }
        y += 1
        guard y < area.maxY - 2 else { return }

        let columns: [(String, Int, Bool)] = [
            ("#", 3, false), ("PRIMARY", 21, false), ("REPLICAS", 7, false), ("SLOTS", 5, true),
            ("KEYS", 7, true), ("OPS/S", 7, true), ("MEMORY", 7, true), ("WORST LAG", 13, true),
        ]
        var x = 1
        for (title, width, right) in columns {
            grid.put(Format.cell(title, width, right: right), x: x, y: y, role: .header)
            x += width + 1
        }
        y += 1
        let totalsRow = area.maxY - 1
        let nodes = state.nodeIndex
        for (index, shard) in snapshot.shards.enumerated() {
            guard y < totalsRow - 1 else {
                grid.put("  \(snapshot.shards.count - index) more shards: see 2 Nodes", x: 1, y: y, role: .dim)
                y += 1
                break
            }
            drawShard(&grid, y: y, index: index, shard: shard, nodes: nodes, columns: columns, thresholds: state.lagThresholds)
            y += 1
        }

        // Totals with the ops/s history, newest on the right.
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
        let warnings = findings.count - errors
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
