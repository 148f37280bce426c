import CNcurses
import ShardtopUI

/// Maps style roles to curses attributes and colour pairs for one theme.
/// One pair per role keeps the mapping trivial and well within COLOR_PAIRS.
struct ColorTable {
    private var attributes: [StyleRole: attr_t] = [:]
    private var pairs: [StyleRole: Int16] = [:]

    init(theme: Theme, depth: ColorDepth) {
        let effective = theme.downgraded(to: depth)
        let useColor = depth != .mono && has_colors()
        var nextPair: Int16 = 1
        for role in StyleRole.allCases {
            let style = effective.styles[role] ?? Style()
            var attrs = shim_a_normal()
            if style.bold { attrs |= shim_a_bold() }
            if style.dim { attrs |= shim_a_dim() }
            if style.underline { attrs |= shim_a_underline() }
            if style.reverse { attrs |= shim_a_reverse() }
            attributes[role] = attrs
            if useColor, Int32(nextPair) < shim_color_pairs() {
                init_pair(nextPair, Self.number(style.foreground), Self.number(style.background))
                pairs[role] = nextPair
                nextPair += 1
            }
        }
    }

    func attributes(for role: StyleRole) -> attr_t { attributes[role] ?? shim_a_normal() }
    func pair(for role: StyleRole) -> Int16 { pairs[role] ?? 0 }

    /// Curses colour number; -1 is the terminal's own default (use_default_colors).
    private static func number(_ color: ThemeColor?) -> Int16 {
        switch color {
        case .ansi(let n)?: Int16(n)
        case .palette256(let n)?: Int16(n)
        case .rgb?: -1  // already downgraded to a palette colour; a leftover means "no colour"
        case .default?, nil: -1
        }
    }
}
