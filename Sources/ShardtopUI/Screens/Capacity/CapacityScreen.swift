import ShardtopCore

/// Screen 8: will the cluster fill up, and what would a crash lose. Per shard: memory against
/// maxmemory, policy, evictions and expiries per second, fragmentation, clients, and the fill
/// forecast with its range; a memory sparkline and growth rates per shard; then per node the
/// RDB/AOF state. The movement keys scroll the node table (they move the shared node selection).
enum CapacityScreen {
    /// Finding codes this screen is about, shown at its top (notes included, unlike the overview).
    static let findingCodes: Set<String> = [
        "bgsave-failed", "aof-write-error", "save-overdue", "no-persistence-no-replica",
        "memory-near-max", "evicting", "fill-forecast", "clients-near-max", "no-maxmemory",
    ]

    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard let snapshot = state.snapshot, area.height > 3 else { return }
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        if let line = CapacityText.closestToFullLine(state) {
            grid.put(line.text, x: x, y: y, role: line.role, maxWidth: width)
        } else if snapshot.primaries.contains(where: { $0.maxMemory == 0 }) {
            grid.put("no primary has a maxmemory: memory grows until the host runs out, and no fill can be forecast", x: x, y: y, role: .dim, maxWidth: width)
        } else {
            grid.put("maxmemory not reported yet", x: x, y: y, role: .dim, maxWidth: width)
        }
        y += 1
        for finding in state.findings.filter({ findingCodes.contains($0.code) }).prefix(2) {
            let role: StyleRole = finding.severity == .error ? .error : finding.severity == .warning ? .warning : .dim
            grid.put("\(finding.severity == .error ? "!" : "-") \(finding.message)", x: x, y: y, role: role, maxWidth: width)
            y += 1
        }
        y += 1

        let index = NodeIndex(snapshot)
        let primaries = snapshot.shards.compactMap { index.node(id: $0.primaryId) }
        let nodes = snapshot.nodes.filter { !$0.isUnknownSeed }
        // The shard tables get a share each; the node table takes what is left and scrolls.
        let remaining = area.maxY - y
        let shardRows = min(primaries.count, max(1, (remaining - 6) / 3))
        y = drawCapacity(&grid, x: x, y: y, width: width, rows: shardRows, primaries: primaries, state: state)
        y += 1
        guard y < area.maxY - 2 else { return }
        y = drawGrowth(&grid, x: x, y: y, width: width, rows: shardRows, primaries: primaries, state: state, glyphs: glyphs)
        y += 1
        guard y < area.maxY - 1 else { return }
        drawPersistence(&grid, x: x, y: y, width: width, height: area.maxY - y, nodes: nodes, offset: state.nodes.selected)
    }

    // MARK: - Capacity per shard

    private static func drawCapacity(_ grid: inout Grid, x: Int, y: Int, width: Int, rows: Int, primaries: [SnapshotNode], state: AppState) -> Int {
        let wide = width >= 110
        var columns: [(String, Int, Bool)] = [
            ("#", 2, false), ("PRIMARY", 15, false), ("MEMORY", 6, true), ("MAX", 6, true), ("USE", 4, true),
            ("POLICY", 12, false), ("EVICT/S", 7, true),
        ]
        if wide { columns += [("EXPIRE/S", 8, true)] }
        columns += [("FRAG", 4, true)]
        if wide { columns += [("CLIENTS", 11, true)] }
        let used = columns.reduce(0) { $0 + $1.1 + 1 }
        columns.append(("FORECAST", max(4, width - used), false))
        var column = x
        for (title, size, right) in columns {
            grid.put(Format.cell(title, size, right: right), x: column, y: y, role: .header)
            column += size + 1
        }
        var line = y + 1
        let hidden = primaries.count - rows
        for (index, primary) in primaries.prefix(hidden > 0 ? rows - 1 : rows).enumerated() {
            let fraction = CapacityText.fraction(primary)
            let near = state.capacityThresholds.isNearlyFull(used: primary.usedMemory ?? 0, max: primary.maxMemory ?? 0)
            let evicting = (primary.evictedKeysPerSec ?? 0) > 0
            let forecast = state.forecasts[primary.id]
            let fill = forecast.map { CapacityText.fill($0.fill, short: !wide) } ?? ("-", .dim)
            var cells: [(String, StyleRole)] = [
                ("\(index + 1)", .dim),
                ("\(primary.address)", .primary),
                (Format.bytes(primary.usedMemory), .normal),
                (primary.maxMemory == 0 ? "none" : Format.bytes(primary.maxMemory), primary.maxMemory == 0 ? .dim : .normal),
                (fraction.map { Format.percent($0 * 100) } ?? "-", near ? .warning : .normal),
                (primary.maxMemoryPolicy ?? "?", .normal),
                (rate(primary.evictedKeysPerSec), evicting ? .warning : .normal),
            ]
            if wide { cells.append((rate(primary.expiredKeysPerSec), .normal)) }
            cells.append((primary.fragmentationRatio.map { ratio($0) } ?? "?", (primary.fragmentationRatio ?? 1) >= 1.5 ? .warning : .normal))
            if wide { cells.append(("\(Format.count(primary.clients))/\(Format.count(primary.maxClients))", .normal)) }
            cells.append(fill)
            column = x
            for ((text, role), (_, size, right)) in zip(cells, columns) {
                grid.put(Format.cell(text, size, right: right), x: column, y: line, role: role)
                column += size + 1
            }
            line += 1
        }
        if hidden > 0 {
            ScreenText.more(&grid, hidden: hidden + 1, x: x, y: line, width: width)
            line += 1
        }
        return line
    }

    // MARK: - Memory history and growth per shard

    private static func drawGrowth(_ grid: inout Grid, x: Int, y: Int, width: Int, rows: Int, primaries: [SnapshotNode], state: AppState, glyphs: Glyphs) -> Int {
        let growthWidth = 26
        let keysWidth = 20
        let sparkWidth = max(4, width - 3 - growthWidth - 1 - keysWidth - 1)
        grid.put(Format.cell("#", 2), x: x, y: y, role: .header)
        let anyCeiling = primaries.contains { ($0.maxMemory ?? 0) > 0 }
        grid.put(Format.cell(anyCeiling ? "MEMORY (to maxmemory)" : "MEMORY (own range)", sparkWidth), x: x + 3, y: y, role: .header)
        grid.put(Format.cell("MEMORY GROWTH", growthWidth), x: x + 3 + sparkWidth + 1, y: y, role: .header)
        grid.put(Format.cell("KEYS GROWTH", keysWidth), x: x + 3 + sparkWidth + 1 + growthWidth + 1, y: y, role: .header, maxWidth: width - 3 - sparkWidth - growthWidth - 2)
        var line = y + 1
        let hidden = primaries.count - rows
        for (index, primary) in primaries.prefix(hidden > 0 ? rows - 1 : rows).enumerated() {
            grid.put(Format.cell("\(index + 1)", 2), x: x, y: line, role: .dim)
            let samples = state.history.capacity.samples(shard: primary.id)
            let ceiling = (primary.maxMemory ?? 0) > 0 ? primary.maxMemory.map(Double.init) : nil
            // Without maxmemory there is no ceiling to fill toward: show the window's own range.
            Bar.sparkline(into: &grid, x: x + 3, y: line, width: sparkWidth, values: samples.map { Double($0.usedMemory) }, ceiling: ceiling, fromMinimum: true, glyphs: glyphs)
            let forecast = state.forecasts[primary.id]
            grid.put(Format.cell(CapacityText.rate(forecast?.memory, bytes: true), growthWidth), x: x + 3 + sparkWidth + 1, y: line)
            grid.put(CapacityText.rate(forecast?.keys, bytes: false), x: x + 3 + sparkWidth + 1 + growthWidth + 1, y: line,
                     maxWidth: keysWidth)
            line += 1
        }
        if hidden > 0 {
            ScreenText.more(&grid, hidden: hidden + 1, x: x, y: line, width: width)
            line += 1
        }
        return line
    }

    // MARK: - Persistence per node

    private static func drawPersistence(_ grid: inout Grid, x: Int, y: Int, width: Int, height: Int, nodes: [SnapshotNode], offset: Int) {
        let columns: [(String, Int, Bool)] = [
            ("NODE", 15, false), ("ROLE", 7, false), ("RDB", 3, false), ("SAVED", 6, true), ("BGSAVE", 7, false),
            ("CHANGES", 7, true), ("FORK", 6, true), ("AOF", 5, false), ("AOF WR", 6, false), ("LOADING", max(4, width - 78), false),
        ]
        var column = x
        for (title, size, right) in columns {
            grid.put(Format.cell(title, size, right: right), x: column, y: y, role: .header, maxWidth: x + width - column)
            column += size + 1
        }
        var visible = height - 1
        if nodes.count > visible { visible -= 1 }
        let start = ScreenText.scrollStart(offset: offset, count: nodes.count, visible: visible)
        let end = min(nodes.count, start + max(0, visible))
        for (row, node) in nodes[start..<end].enumerated() {
            column = x
            for ((text, role), (_, size, right)) in zip(persistenceCells(node), columns) {
                grid.put(Format.cell(text, size, right: right), x: column, y: y + 1 + row, role: role, maxWidth: x + width - column)
                column += size + 1
            }
        }
        ScreenText.more(&grid, hidden: nodes.count - end, x: x, y: y + 1 + visible, width: width)
    }

    static func persistenceCells(_ node: SnapshotNode) -> [(String, StyleRole)] {
        let p = node.persistence
        let rdb: (String, StyleRole) = switch p?.rdbSaveConfigured {
        case true?: ("on", .normal)
        case false?: ("off", .dim)
        case nil: ("?", .dim)
        }
        let bgsave: (String, StyleRole) = if p?.rdbBgsaveInProgress == true {
            ("running", .info)
        } else {
            switch p?.rdbLastBgsaveStatus {
            case .failed?: ("FAILED", .error)
            case .ok?: ("ok", .ok)
            case nil: ("-", .dim)
            }
        }
        let aof: (String, StyleRole) = switch p?.aofEnabled {
        case true?: (p?.aofRewriteInProgress == true ? "on,rw" : "on", .normal)
        case false?: ("off", .dim)
        case nil: ("?", .dim)
        }
        let aofWrite: (String, StyleRole) = p?.aofEnabled == true
            ? (p?.aofLastWriteStatus == .failed ? ("FAILED", .error) : ("ok", .ok))
            : ("-", .dim)
        let loading: (String, StyleRole) = p?.loading == true
            ? ("\(Format.percent(p?.loadingPercent))\(p?.loadingEtaSeconds.map { " eta \($0)s" } ?? "")", .warning)
            : ("-", .dim)
        return [
            ("\(node.address)", node.isPrimary ? .primary : .replica),
            (node.role == .primary ? "primary" : "replica", .normal),
            rdb,
            (CapacityText.age(p?.rdbLastSaveAgeSeconds), .normal),
            bgsave,
            (Format.count(p?.rdbChangesSinceLastSave), .normal),
            (p?.latestForkMicros.map { fork($0) } ?? "-", (p?.latestForkMicros ?? 0) >= 500_000 ? .warning : .normal),
            aof,
            aofWrite,
            loading,
        ]
    }

    /// Keys per second: "0", "12", "1.2k".
    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value > 0 && value < 1 ? "<1" : Format.count(Int64(value.rounded()))
    }

    static func ratio(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A fork's pause: "0.5ms", "120ms", "1.2s".
    static func fork(_ micros: Int64) -> String {
        if micros < 10_000 { return "\(micros / 1000).\(micros % 1000 / 100)ms" }
        if micros < 1_000_000 { return "\(micros / 1000)ms" }
        return "\(micros / 1_000_000).\(micros % 1_000_000 / 100_000)s"
    }
}
