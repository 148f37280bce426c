import ShardtopCore

/// All 16384 slots at once, folded per `SlotMapLayout` (the reducer moves the cursor with the
/// same layout, so the highlighted cell is the one the cursor line describes).
enum SlotMapScreen {
    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard let snapshot = state.snapshot, area.height > 0 else { return }
        let perCell = SlotMapLayout.slotsPerCell(width: state.width, height: state.height)
        let columns = SlotMapLayout.columns(width: state.width)
        let cellCount = (hashSlotCount + perCell - 1) / perCell
        let mapRows = (cellCount + columns - 1) / columns
        let model = SlotMapModel(snapshot: snapshot, keysPerSlot: state.slots.keysPerSlot, perCell: perCell)
        let overlay = state.slots.overlay

        drawTitle(&grid, area: area, overlay: overlay, perCell: perCell, model: model)
        let cursorCell = min(max(0, state.slots.cursor), hashSlotCount - 1) / perCell
        let top = area.y + 1
        let cursorY = min(top + mapRows, area.maxY - 1)
        for cell in 0..<cellCount {
            let y = top + cell / columns
            guard y < cursorY else { break }
            let column = cell % columns
            if column == 0 {
                grid.put(Format.cell("\(cell * perCell)", SlotMapLayout.labelWidth - 1, right: true), x: area.x, y: y, role: .dim)
            }
            let x = area.x + SlotMapLayout.labelWidth + column
            guard x < area.x + area.width, grid.contains(x: x, y: y) else { continue }
            var look = model.look(ofCell: cell, overlay: overlay, glyphs: glyphs)
            if cell == cursorCell { look.role = .cursor }
            grid[x, y] = look
        }
        guard cursorY > top else { return }
        drawCursorLine(&grid, area: area, y: cursorY, range: SlotMapLayout.range(ofCell: cursorCell, slotsPerCell: perCell),
                       snapshot: snapshot, model: model, overlay: overlay, glyphs: glyphs)
        let legend = Rect(x: area.x, y: cursorY + 1, width: area.width, height: area.maxY - cursorY - 1)
        SlotMapLegend.draw(into: &grid, area: legend, snapshot: snapshot, model: model, glyphs: glyphs)
    }

    private static func drawTitle(_ grid: inout Grid, area: Rect, overlay: SlotMapView.Overlay, perCell: Int, model: SlotMapModel) {
        let end = area.x + area.width
        var x = grid.put(" \(overlay.rawValue) overlay", x: area.x, y: area.y, role: .header, maxWidth: area.width)
        x = grid.put("  \(perCell) slots per cell  \(model.covered)/\(hashSlotCount) covered", x: x, y: area.y, role: .dim, maxWidth: end - x)
        switch overlay {
        case .keys where model.maxKeysPerCell == 0:
            grid.put("  no key counts yet", x: x, y: area.y, role: .dim, maxWidth: end - x)
        case .keys:
            grid.put("  darkest cell \(Format.count(model.maxKeysPerCell)) keys", x: x, y: area.y, role: .dim, maxWidth: end - x)
        case .open:
            grid.put("  \(model.openSlotCount) open slots", x: x, y: area.y, role: model.openSlotCount > 0 ? .warning : .dim, maxWidth: end - x)
        case .owner:
            break
        }
    }

    private static func drawCursorLine(
        _ grid: inout Grid, area: Rect, y: Int, range: SlotRange, snapshot: ClusterSnapshot,
        model: SlotMapModel, overlay: SlotMapView.Overlay, glyphs: Glyphs
    ) {
        let end = area.x + area.width
        var x = grid.put(" slots \(range)", x: area.x, y: y, role: .cursor, maxWidth: area.width)
        let owners = model.owners(in: range)
        if owners.isEmpty {
            x = grid.put("  uncovered", x: x, y: y, role: .slotUncovered, maxWidth: end - x)
        } else {
            let names = owners.map { ScreenText.name($0, in: snapshot) }.joined(separator: ", ")
            x = grid.put("  \(owners.count == 1 ? "owner" : "owners") \(names)", x: x, y: y, maxWidth: end - x)
            let uncovered = model.uncoveredCount(in: range)
            if uncovered > 0 { x = grid.put("  \(uncovered) uncovered", x: x, y: y, role: .slotUncovered, maxWidth: end - x) }
        }
        if overlay == .keys, !model.keysPerSlot.isEmpty {
            x = grid.put("  keys \(Format.count(model.keys(in: range)))", x: x, y: y, maxWidth: end - x)
        }
        let groups = openGroups(snapshot.openSlots.filter { range.contains($0.slot) })
        if groups.isEmpty {
            grid.put("  not open", x: x, y: y, role: .dim, maxWidth: end - x)
            return
        }
        x = grid.put("  open", x: x, y: y, maxWidth: end - x)
        for group in groups {
            let migrating = group.state == .migrating
            let text = " \(group.slots) \(migrating ? glyphs.migrating : glyphs.importing) \(ScreenText.name(group.peer, in: snapshot, withID: false))"
            x = grid.put(text, x: x, y: y, role: migrating ? .slotMigrating : .slotImporting, maxWidth: end - x)
        }
    }

    struct OpenGroup: Equatable {
        var state: OpenSlotMark.Direction
        var peer: String
        var slots: String
    }

    /// Marks folded by direction and peer into slot ranges. A healthy move sets both marks
    /// (migrating on the source, importing on the target); the importing side of such a pair adds
    /// nothing, so only half-open slots, the ones that need an operator, show an importing group.
    static func openGroups(_ open: [OpenSlot]) -> [OpenGroup] {
        let shown = open.filter { mark in
            mark.state == .migrating || !open.contains { $0.state == .migrating && $0.slot == mark.slot && $0.peer == mark.node }
        }
        var groups: [OpenGroup] = []
        for mark in shown where !groups.contains(where: { $0.state == mark.state && $0.peer == mark.peer }) {
            let slots = shown.filter { $0.state == mark.state && $0.peer == mark.peer }.map(\.slot)
            let text = SlotRange.ranges(fromSortedSlots: Array(Set(slots)).sorted()).map(\.description).joined(separator: ",")
            groups.append(OpenGroup(state: mark.state, peer: mark.peer, slots: text))
        }
        return groups
    }
}
