/// Block and line characters, with ASCII stand-ins for terminals whose locale is not UTF-8
/// (where ncurses would print mojibake for anything outside ASCII).
public struct Glyphs: Sendable, Equatable {
    public var full: Unicode.Scalar
    public var empty: Unicode.Scalar
    /// Eighths for sparklines and fine bars, lowest first.
    public var levels: [Unicode.Scalar]
    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var arrow: Unicode.Scalar
    public var ellipsis: String
    public var migrating: Unicode.Scalar
    public var importing: Unicode.Scalar
    public var uncovered: Unicode.Scalar

    public static let unicode = Glyphs(
        full: "█", empty: "·", levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        horizontal: "─", vertical: "│", arrow: "→", ellipsis: "…",
        migrating: "»", importing: "«", uncovered: "✗"
    )

    public static let ascii = Glyphs(
        full: "#", empty: ".", levels: [".", ".", ":", ":", "+", "+", "#", "#"],
        horizontal: "-", vertical: "|", arrow: ">", ellipsis: "~",
        migrating: ">", importing: "<", uncovered: "x"
    )
}
