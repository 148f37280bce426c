import ShardtopCore

/// The slot map's key: the mark symbols first (they must always be readable), then one swatch per
/// shard, wrapped over the lines left under the map and cut with "+N more" when they run out.
enum SlotMapLegend {
    typealias Entry = [(text: String, role: StyleRole)]

    static func draw(into grid: inout Grid, area: Rect, snapshot: ClusterSnapshot, model: SlotMapModel, glyphs: Glyphs) {
        guard area.height > 0, area.width > 2 else { return }
        let uncovered = hashSlotCount - model.covered
        var entries: [Entry] = [
            [("\(glyphs.uncovered)", .slotUncovered), (" uncovered \(uncovered)", uncovered > 0 ? .error : .dim)],
            [("\(glyphs.migrating)", .slotMigrating), (" migrating \(model.migrating.count)", .dim)],
            [("\(glyphs.importing)", .slotImporting), (" importing \(model.importing.count)", .dim)],
        ]
        let nodes = NodeIndex(snapshot)
        for (index, shard) in snapshot.shards.enumerated() {
            let address = nodes.node(id: shard.primaryId).map { "\($0.address)" } ?? Format.shortID(shard.primaryId)
            entries.append([("\(glyphs.full)", .shard(index)), (" \(address) ", .normal), ("\(model.slotCounts[index])", .dim)])
        }

        let width = area.width - 2
        var lines = wrap(entries, width: width)
        var hidden = 0
        if lines.count > area.height {
            hidden = lines[area.height...].reduce(0) { $0 + $1.count }
            lines = Array(lines.prefix(area.height))
            // Make room on the last line for the count of what did not fit.
            while let last = lines.last, !last.isEmpty,
                  lineWidth(last) + gap + "+\(hidden) more".unicodeScalars.count > width {
                lines[lines.count - 1].removeLast()
                hidden += 1
            }
        }
        for (row, line) in lines.enumerated() {
            var x = area.x + 1
            for entry in line {
                for part in entry { x = grid.put(part.text, x: x, y: area.y + row, role: part.role, maxWidth: area.x + 1 + width - x) }
                x += gap
            }
            if row == lines.count - 1 { ScreenText.more(&grid, hidden: hidden, x: x, y: area.y + row, width: area.x + 1 + width - x) }
        }
    }

    static let gap = 2

    static func entryWidth(_ entry: Entry) -> Int { entry.reduce(0) { $0 + $1.text.unicodeScalars.count } }

    static func lineWidth(_ line: [Entry]) -> Int { line.reduce(0) { $0 + entryWidth($1) + gap } - gap }

    /// Greedy wrap: an entry wider than a line still gets a line of its own (and is clipped).
    static func wrap(_ entries: [Entry], width: Int) -> [[Entry]] {
        var lines: [[Entry]] = []
        var current: [Entry] = []
        for entry in entries {
            if !current.isEmpty && lineWidth(current) + gap + entryWidth(entry) > width {
                lines.append(current)
                current = []
            }
            current.append(entry)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
