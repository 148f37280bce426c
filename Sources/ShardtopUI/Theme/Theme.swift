/// How every `StyleRole` looks: the one place where colours live. Widgets name roles; the
/// terminal layer asks the theme (after `downgraded(to:)` for the terminal's colour depth)
/// what each role means on screen. A complete theme has a style for every role; the parser
/// refuses incomplete files, so a lookup never silently falls back.
public struct Theme: Sendable, Equatable {
    public var name: String
    /// One line for the theme picker / `--help`.
    public var description: String
    public var styles: [StyleRole: Style]

    public init(name: String, description: String = "", styles: [StyleRole: Style]) {
        self.name = name
        self.description = description
        self.styles = styles
    }

    /// The style of a role. Complete themes always have one; for a hand-built partial theme the
    /// role falls back to `normal`, then to the terminal's defaults.
    public subscript(role: StyleRole) -> Style {
        styles[role] ?? styles[.normal] ?? Style()
    }

    /// Roles without a style, in declaration order (empty for a complete theme).
    public var missingRoles: [StyleRole] {
        StyleRole.allCases.filter { styles[$0] == nil }
    }

    /// False for attribute-only themes such as mono (`.default` counts as no colour: it is the
    /// terminal's own).
    public var usesColor: Bool {
        styles.values.contains { style in
            [style.foreground, style.background].contains { color in
                if let color, color != .default { return true }
                return false
            }
        }
    }
}

/// Colours and attributes for one role. A nil colour leaves the terminal's default in place
/// (like `.default`), so attribute-only themes simply leave both nil.
public struct Style: Sendable, Equatable {
    public var foreground: ThemeColor?
    public var background: ThemeColor?
    public var bold: Bool
    public var dim: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(
        foreground: ThemeColor? = nil, background: ThemeColor? = nil,
        bold: Bool = false, dim: Bool = false, underline: Bool = false, reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
    }

    /// True when the style sets any attribute at all.
    public var hasAttributes: Bool { bold || dim || underline || reverse }
}

/// A colour as a theme file wrote it. The terminal layer decides how to realise it; see
/// `Theme.downgraded(to:)` for terminals with fewer colours.
public enum ThemeColor: Sendable, Equatable, Hashable {
    /// One of the 16 terminal colours (0-7 normal, 8-15 bright). Their exact look belongs to the
    /// user's terminal palette, which is why accessible themes often prefer them.
    case ansi(Int)
    /// xterm's 256-colour palette: 16-231 a 6x6x6 cube, 232-255 a grey ramp.
    case palette256(Int)
    /// 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
    /// The terminal's own foreground or background (ncurses colour -1).
    case `default`

    /// Names of the 16 ANSI colours as theme files spell them; the index is the ANSI number.
    public static let ansiNames: [String] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// The spelling a theme file would use for this colour (round-trips through the parser).
    public var themeFileSpelling: String {
        switch self {
        case let .ansi(index):
            return Self.ansiNames.indices.contains(index) ? Self.ansiNames[index] : "ansi:\(index)"
        case let .palette256(index): return "color:\(index)"
        case let .rgb(r, g, b): return "#" + [r, g, b].map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
        case .default: return "default"
        }
    }
}
