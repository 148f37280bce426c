import ShardtopCore

/// How 16384 slots fold into the body area: each cell stands for `slotsPerCell` consecutive
/// slots, rows of `columns` cells, leaving a label column on the left and room for the legend.
public enum SlotMapLayout {
    /// Width of the "slot number" label at the start of each row.
    public static let labelWidth = 6
    /// Lines the frame (header, tabs, footer) and the legend and cursor line take from the height.
    public static let reservedLines = 7

    public static func columns(width: Int) -> Int { max(8, width - labelWidth - 1) }

    public static func rows(height: Int) -> Int { max(1, height - reservedLines) }

    public static func slotsPerCell(width: Int, height: Int) -> Int {
        let cells = columns(width: width) * rows(height: height)
        return max(1, (hashSlotCount + cells - 1) / cells)
    }

    /// The slot range one cell covers.
    public static func range(ofCell index: Int, slotsPerCell: Int) -> SlotRange {
        let start = index * slotsPerCell
        return SlotRange(start, min(hashSlotCount - 1, start + slotsPerCell - 1))
    }
}
