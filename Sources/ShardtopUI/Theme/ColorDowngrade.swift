/// How many colours the terminal can show. Themes are written once (usually in 24-bit colour)
/// and downgraded to the depth at hand, so a theme never needs a variant per terminal.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    case mono, ansi8, ansi16, palette256, truecolor

    /// Picks the depth from what curses reports (`COLORS`, or 0 when `has_colors()` is false)
    /// and the environment. NO_COLOR (any non-empty value, per no-color.org) wins over all.
    /// 24-bit needs both a COLORTERM promise and a terminal that already does 256 colours,
    /// because COLORTERM leaks into multiplexers and ssh sessions that cannot honour it.
    public static func detect(colorsSupported: Int, environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .mono }
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        if colorsSupported >= 1 << 24 { return .truecolor }
        if colorsSupported >= 256 { return colorTerm == "truecolor" || colorTerm == "24bit" ? .truecolor : .palette256 }
        if colorsSupported >= 16 { return .ansi16 }
        if colorsSupported >= 8 { return .ansi8 }
        return .mono
    }

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Theme {
    /// The same theme using only colours the terminal has. Each step keeps what a reader relies
    /// on: hue survives (a green "ok" stays green rather than becoming the nearest grey), text
    /// never lands on a background of its own colour, and in mono a role that was told apart
    /// by colour alone borrows the attributes of the built-in mono theme.
    public func downgraded(to depth: ColorDepth) -> Theme {
        if depth == .truecolor { return self }
        // A theme whose body text is dark is meant for a light background.
        let lightBackground = self[.normal].foreground.map { $0 != .default && !ColorDowngrade.isLight($0) } ?? false
        var result = self
        for (role, style) in styles {
            result.styles[role] = depth == .mono
                ? Self.withoutColor(style, role: role, ground: self[.normal].background)
                : Self.downgraded(style, to: depth, lightBackground: lightBackground)
        }
        return result
    }

    static func downgraded(_ style: Style, to depth: ColorDepth, lightBackground: Bool = false) -> Style {
        var result = style
        result.foreground = style.foreground.map { ColorDowngrade.convert($0, to: depth) }
        result.background = style.background.map { ColorDowngrade.convert($0, to: depth) }
        // Eight-colour terminals have no grey: grey text becomes dimmed white on a dark theme and
        // dimmed black on a light one, which is how those terminals have always shown "faint".
        if depth == .ansi8, style.foreground.map({ ColorDowngrade.convert($0, to: .ansi16) }) == .ansi(8) {
            result.foreground = .ansi(lightBackground ? 0 : 7)
            result.dim = true
        }
        // Two different colours can collapse into one; text must stay readable on its bar.
        if let foreground = result.foreground, foreground != .default, foreground == result.background {
            result.foreground = ColorDowngrade.isLight(foreground) ? .ansi(0) : .ansi(depth == .ansi8 ? 7 : 15)
        }
        return result
    }

    /// Mono keeps the attributes and drops the colours. A background other than the screen's
    /// own (`ground`, the normal role's) meant "this is a bar" (selection, footer, dialog), so
    /// it becomes reverse; a role that had colour but no attributes (shards, ok) takes bold,
    /// dim and underline from the built-in mono theme; and the roles that orient the user
    /// (selection, cursor, active tab, title) are always marked.
    static func withoutColor(_ style: Style, role: StyleRole, ground: ThemeColor? = nil) -> Style {
        var result = Style(bold: style.bold, dim: style.dim, underline: style.underline, reverse: style.reverse)
        let hadColor = [style.foreground, style.background].contains { $0 != nil && $0 != .default }
        if let background = style.background, background != .default, background != ground { result.reverse = true }
        if hadColor, !style.hasAttributes, !result.reverse, let fallback = Theme.builtinMono.styles[role] {
            // Reverse is left out: here it only ever comes from a bar background, so that a
            // footer key and its label on the same line stay consistent.
            result = Style(bold: fallback.bold, dim: fallback.dim, underline: fallback.underline)
        }
        switch role {
        case .selected, .cursor:
            result.reverse = true
        case .tabActive, .title:
            if !result.bold && !result.reverse { result.bold = true }
        default:
            break
        }
        return result
    }
}

/// Colour arithmetic for downgrading. xterm's palette is the reference: it is what nearly
/// every terminal uses for 16-255, and the usual default for 0-15.
public enum ColorDowngrade {
    /// Channel levels of the 6x6x6 cube (indices 16-231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// xterm's default 16 colours; only used to judge lightness, never to pick a hue.
    static let xterm16: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// `color` expressed with what `depth` offers. `.default` stays: the terminal owns it.
    public static func convert(_ color: ThemeColor, to depth: ColorDepth) -> ThemeColor {
        switch (color, depth) {
        case (.default, _), (_, .truecolor): return color
        case (_, .mono): return .default
        case let (.rgb(r, g, b), .palette256): return .palette256(nearest256(r: Int(r), g: Int(g), b: Int(b)))
        case (.ansi, .palette256), (.palette256, .palette256), (.ansi, .ansi16): return color
        case let (.palette256(index), .ansi16):
            if index < 16 { return .ansi(index) }
            let (r, g, b) = rgb256(index)
            return .ansi(nearest16(r: r, g: g, b: b))
        case let (.rgb(r, g, b), .ansi16): return .ansi(nearest16(r: Int(r), g: Int(g), b: Int(b)))
        case (_, .ansi8):
            guard case let .ansi(index) = convert(color, to: .ansi16) else { return color }
            return .ansi(to8(index))
        }
    }

    /// Nearest xterm 256-colour index among the cube and the grey ramp (16-255); 0-15 are
    /// skipped because users redefine them.
    public static func nearest256(r: Int, g: Int, b: Int) -> Int {
        func level(_ value: Int) -> Int {
            // Midpoints between cube levels: 0|48|115|155|195|235
            value < 48 ? 0 : value < 115 ? 1 : (value - 35) / 40
        }
        let (cr, cg, cb) = (level(r), level(g), level(b))
        let cube = (cubeLevels[cr], cubeLevels[cg], cubeLevels[cb])
        let cubeIndex = 16 + 36 * cr + 6 * cg + cb
        let average = (r + g + b) / 3
        let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
        let greyValue = 8 + 10 * greyStep
        func distance(_ c: (Int, Int, Int)) -> Int {
            (c.0 - r) * (c.0 - r) + (c.1 - g) * (c.1 - g) + (c.2 - b) * (c.2 - b)
        }
        return distance((greyValue, greyValue, greyValue)) < distance(cube) ? 232 + greyStep : cubeIndex
    }

    /// The RGB value xterm gives a 256-colour index.
    public static func rgb256(_ index: Int) -> (Int, Int, Int) {
        switch index {
        case ..<16: return xterm16[max(0, index)]
        case 16...231:
            let n = index - 16
            return (cubeLevels[n / 36], cubeLevels[n / 6 % 6], cubeLevels[n % 6])
        default:
            let grey = 8 + 10 * (min(index, 255) - 232)
            return (grey, grey, grey)
        }
    }

    /// Nearest of the 16 ANSI colours by hue, not by distance. Plain RGB distance sends muted
    /// colours (a calm green "ok", a soft red) to grey, and a status that loses its hue loses
    /// its meaning. So: near-grey colours go to the grey ladder by lightness; the rest keep
    /// each channel that sits in the upper half of their own range (which picks the nearest of
    /// the six primary/secondary hues) and go bright when their strongest channel is high.
    public static func nearest16(r: Int, g: Int, b: Int) -> Int {
        let high = max(r, g, b), low = min(r, g, b)
        let chroma = high - low
        if chroma < max(24, high / 4) {
            let lightness = (high + low) / 2
            return lightness < 48 ? 0 : lightness < 160 ? 8 : lightness < 224 ? 7 : 15
        }
        let middle = low + chroma / 2
        let hue = (r > middle ? 1 : 0) | (g > middle ? 2 : 0) | (b > middle ? 4 : 0)
        return hue + (high >= 192 ? 8 : 0)
    }

    /// Eight colours: bright colours lose their brightness; bright black (dark grey) becomes
    /// white, because black would vanish on a dark terminal.
    public static func to8(_ index: Int) -> Int {
        switch index {
        case 8: return 7
        case 9...15: return index - 8
        default: return min(max(index, 0), 7)
        }
    }

    /// Whether text on this colour should be dark (relative luminance, sRGB weights).
    static func isLight(_ color: ThemeColor) -> Bool {
        let (r, g, b): (Int, Int, Int)
        switch color {
        case let .ansi(index): (r, g, b) = xterm16[min(max(index, 0), 15)]
        case let .palette256(index): (r, g, b) = rgb256(index)
        case let .rgb(red, green, blue): (r, g, b) = (Int(red), Int(green), Int(blue))
        case .default: return false
        }
        return 2126 * r + 7152 * g + 722 * b > 10_000 * 140
    }
}
