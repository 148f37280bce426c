import Foundation
import ShardtopCore

/// Is the load spread evenly? Per primary: slots, keys, memory and ops/s as bars, each with its
/// deviation from the mean. Wide terminals get one line per primary; narrow ones one block per
/// metric (stacked, or two by two when there are many primaries), so bars stay long enough to compare.
enum BalanceScreen {
    /// Deviation from the mean beyond which a value is highlighted.
    static let threshold = 0.20

    struct Metric {
        let title: String
        let values: [Double?]
        let format: (Double) -> String
        /// Worked out once: every drawn cell asks for them, and working them out per cell made a
        /// frame cost rows x primaries (0.8 s with 2,500 primaries in a debug build).
        let mean: Double?
        let peak: Double

        init(title: String, values: [Double?], format: @escaping (Double) -> String) {
            self.title = title
            self.values = values
            self.format = format
            let known = values.compactMap { $0 }
            mean = known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
            peak = known.max() ?? 0
        }

        func deviation(_ index: Int) -> Double? {
            guard let value = values[index], let mean, mean > 0 else { return nil }
            return (value - mean) / mean
        }
    }

    static func metrics(_ primaries: [SnapshotNode]) -> [Metric] {
        [
            Metric(title: "SLOTS", values: primaries.map { Double($0.slotCount) }, format: { "\(Int($0))" }),
            Metric(title: "KEYS", values: primaries.map { $0.keys.map(Double.init) }, format: { Format.count(Int64($0)) }),
            Metric(title: "MEMORY", values: primaries.map { $0.usedMemory.map(Double.init) }, format: { Format.bytes(Int64($0)) }),
            Metric(title: "OPS/S", values: primaries.map { $0.opsPerSec.map(Double.init) }, format: { Format.count(Int64($0)) }),
        ]
    }

    static func draw(into grid: inout Grid, area: Rect, state: AppState, glyphs: Glyphs) {
        guard let snapshot = state.snapshot, area.height > 2 else { return }
        let nodes = state.nodeIndex
        let primaries = snapshot.shards.compactMap { nodes.node(id: $0.primaryId) }
        grid.put(" \(primaries.count) primaries  highlighted: more than \(Int(threshold * 100))% off the mean",
                 x: area.x, y: area.y, role: .dim, maxWidth: area.width)
        guard !primaries.isEmpty else {
            grid.put("no primaries in this snapshot", x: area.x + 1, y: area.y + 1, role: .dim, maxWidth: area.width - 2)
            return
        }
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        let metrics = metrics(primaries)
        // The movement keys move the shared node selection; here it scrolls the primaries.
        if area.width >= 104 {
            drawWide(&grid, area: body, primaries: primaries, metrics: metrics, offset: state.nodes.selected, glyphs: glyphs)
        } else {
            drawBlocks(&grid, area: body, primaries: primaries, metrics: metrics, offset: state.nodes.selected, glyphs: glyphs)
        }
    }

    /// Rows for `count` primaries in `height` lines: the last line says "+N more" when they overflow.
    static func window(count: Int, height: Int, offset: Int) -> Range<Int> {
        let visible = count > height ? height - 1 : height
        let start = ScreenText.scrollStart(offset: offset, count: count, visible: visible)
        return start..<min(count, start + max(0, visible))
    }

    // MARK: - One line per primary

    private static func drawWide(_ grid: inout Grid, area: Rect, primaries: [SnapshotNode], metrics: [Metric], offset: Int, glyphs: Glyphs) {
        let label = 4 + min(21, primaries.map { $0.address.description.unicodeScalars.count }.max() ?? 8)
        let cellWidth = (area.width - 2 - label) / metrics.count
        var x = area.x + 1 + label + 1
        for metric in metrics {
            let mean = metric.mean.map(metric.format) ?? "?"
            grid.put("\(metric.title) mean \(mean)", x: x, y: area.y, role: .header, maxWidth: cellWidth - 1)
            x += cellWidth
        }
        let rows = window(count: primaries.count, height: area.height - 1, offset: offset)
        for (line, index) in rows.enumerated() {
            let y = area.y + 1 + line
            drawLabel(&grid, index: index, node: primaries[index], x: area.x + 1, y: y, width: label)
            var x = area.x + 1 + label + 1
            for metric in metrics {
                drawValue(&grid, metric: metric, index: index, x: x, y: y, width: cellWidth - 1, glyphs: glyphs)
                x += cellWidth
            }
        }
        ScreenText.more(&grid, hidden: primaries.count - rows.upperBound, x: area.x + 1, y: area.y + 1 + rows.count, width: area.width - 2)
    }

    // MARK: - Narrow: one block per metric

    /// Blocks stack when every primary fits that way (widest bars); otherwise two by two, which
    /// shows more primaries per block.
    private static func drawBlocks(_ grid: inout Grid, area: Rect, primaries: [SnapshotNode], metrics: [Metric], offset: Int, glyphs: Glyphs) {
        let perRow = metrics.count * (primaries.count + 1) <= area.height ? 1 : 2
        let blockWidth = area.width / perRow
        let blockHeight = area.height / ((metrics.count + perRow - 1) / perRow)
        let addressWidth = min(21, primaries.map { $0.address.description.unicodeScalars.count }.max() ?? 8)
        for (position, metric) in metrics.enumerated() {
            let block = Rect(x: area.x + (position % perRow) * blockWidth, y: area.y + (position / perRow) * blockHeight,
                             width: blockWidth - 1, height: blockHeight)
            guard block.height > 1 else { continue }
            let mean = metric.mean.map(metric.format) ?? "?"
            grid.put("\(metric.title) mean \(mean)", x: block.x + 1, y: block.y, role: .header, maxWidth: block.width - 1)
            // A clipped address would name the wrong port; without room, the shard number alone is shown.
            let label = block.width - 2 - (4 + addressWidth) >= 17 ? 4 + addressWidth : 3
            let rows = window(count: primaries.count, height: block.height - 1, offset: offset)
            for (line, index) in rows.enumerated() {
                let y = block.y + 1 + line
                drawLabel(&grid, index: index, node: primaries[index], x: block.x + 1, y: y, width: label)
                drawValue(&grid, metric: metric, index: index, x: block.x + 2 + label, y: y, width: block.width - label - 2, glyphs: glyphs)
            }
            ScreenText.more(&grid, hidden: primaries.count - rows.upperBound, x: block.x + 1, y: block.y + 1 + rows.count, width: block.width - 1)
        }
    }

    // MARK: - Pieces

    private static func drawLabel(_ grid: inout Grid, index: Int, node: SnapshotNode, x: Int, y: Int, width: Int) {
        let next = grid.put(Format.cell("#\(index + 1)", 4), x: x, y: y, role: .shard(index), maxWidth: width)
        guard width > 4 else { return }
        grid.put(Format.cell("\(node.address)", width - 4), x: next, y: y, role: node.health == .ok ? .primary : .error, maxWidth: width - 4)
    }

    /// "bar value deviation" in `width` columns; the bar takes what the numbers leave.
    private static func drawValue(_ grid: inout Grid, metric: Metric, index: Int, x: Int, y: Int, width: Int, glyphs: Glyphs) {
        let numbers = 7 + 1 + 5
        let barWidth = max(0, width - numbers - 1)
        let start = x + barWidth + (barWidth > 0 ? 1 : 0)
        guard let value = metric.values[index] else {
            grid.put(Format.cell("?", 7, right: true), x: start, y: y, role: .dim, maxWidth: x + width - start)
            return
        }
        let deviation = metric.deviation(index) ?? 0
        let off = abs(deviation) > threshold
        Bar.draw(into: &grid, x: x, y: y, width: barWidth, fraction: metric.peak > 0 ? value / metric.peak : 0,
                 role: off ? .barWarning : .bar, glyphs: glyphs)
        let text = Format.cell(metric.format(value), 7, right: true) + " " + Format.cell(percent(deviation), 5, right: true)
        grid.put(text, x: start, y: y, role: off ? .warning : .normal, maxWidth: x + width - start)
    }

    /// "+12%", "-3%", "0%": signed so the direction reads at a glance.
    static func percent(_ deviation: Double) -> String {
        let rounded = Int((deviation * 100).rounded())
        return rounded > 0 ? "+\(rounded)%" : "\(rounded)%"
    }
}
