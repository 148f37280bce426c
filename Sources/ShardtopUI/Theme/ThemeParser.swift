import Yams

/// Reads a theme file (YAML, grammar in themes/README.md and the header of every theme file).
///
/// Strict on purpose: btop-style lenient parsers ignore a misspelt key, so the typo is invisible
/// and the user wonders why nothing changed. Here every unknown key, role, palette name,
/// attribute or malformed colour is an error that names the file and line. Yams does the YAML
/// (quoting, comments, flow and block styles); `compose` keeps each node's line, which is all
/// the errors need.
public enum ThemeParser {
    /// Top-level keys, in the order a theme file lists them.
    public static let topLevelKeys = ["name", "description", "palette", "roles"]
    /// Keys of one role's entry.
    public static let roleKeys = ["fg", "bg", "attrs"]
    /// Attribute names accepted in `attrs:`.
    public static let attributeNames = ["bold", "dim", "underline", "reverse"]

    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw ThemeError(file: file, message: "not valid YAML: \(error)")
        }
        guard let root else {
            throw ThemeError(file: file, message: "empty theme file: expected \(list(topLevelKeys)) keys")
        }
        return try Reader(file: file).theme(root)
    }

    /// A YAML syntax error keeps libyaml's line; the problem text is libyaml's own.
    static func yamlError(_ error: YamlError, file: String) -> ThemeError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ThemeError(file: file, line: mark.line, message: "not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ThemeError(file: file, line: context.mark.line, message: "duplicate key \(keys): each key may appear once")
        case let .reader(problem, _, _, _):
            return ThemeError(file: file, message: "not valid YAML text: \(problem)")
        default:
            return ThemeError(file: file, message: "not valid YAML: \(error)")
        }
    }

    static func list(_ words: [String]) -> String { words.joined(separator: ", ") }
}

/// Outcome of reading one colour literal: a colour, "not a literal at all" (maybe a palette
/// name), or a literal that is recognisably meant as a colour but malformed.
enum ColorLiteral: Equatable {
    case color(ThemeColor)
    case notALiteral
    case malformed(String)

    static func parse(_ text: String) -> ColorLiteral {
        if text == "default" { return .color(.default) }
        if let index = ThemeColor.ansiNames.firstIndex(of: text) { return .color(.ansi(index)) }
        if text.hasPrefix("#") {
            let hex = text.dropFirst()
            guard hex.count == 6, let value = UInt32(hex, radix: 16), hex.allSatisfy(\.isHexDigit) else {
                return .malformed("bad colour '\(text)': hex colours are \"#rrggbb\" with six hex digits")
            }
            return .color(.rgb(UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)))
        }
        for (prefix, range) in [("ansi:", 0...15), ("color:", 0...255)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let number = Int(digits), range.contains(number)
            else {
                return .malformed("bad colour '\(text)': \(prefix)N needs N in \(range.lowerBound)-\(range.upperBound)")
            }
            return .color(prefix == "ansi:" ? .ansi(number) : .palette256(number))
        }
        return .notALiteral
    }

    /// Words a palette entry may not be called, because a role could not tell them apart.
    static func isReservedName(_ name: String) -> Bool {
        parse(name) != .notALiteral
    }
}

/// One pass over the composed YAML tree for one file; carries the file name for errors.
private struct Reader {
    let file: String

    func fail(_ node: Node?, _ message: String) -> ThemeError {
        ThemeError(file: file, line: node?.mark?.line, message: message)
    }

    func theme(_ root: Node) throws(ThemeError) -> Theme {
        guard case let .mapping(top) = root else {
            throw fail(root, "a theme file is a mapping with keys \(ThemeParser.list(ThemeParser.topLevelKeys))")
        }
        var name: String?
        var description = ""
        var paletteNode: Node?
        var rolesEntry: (key: Node, value: Node)?
        for (keyNode, value) in top {
            let key = try keyString(keyNode)
            switch key {
            case "name":
                name = try string(value, what: "name")
                if name?.isEmpty ?? true { throw fail(value, "'name' must not be empty") }
            case "description":
                description = try string(value, what: "description")
            case "palette":
                paletteNode = value
            case "roles":
                rolesEntry = (keyNode, value)
            default:
                throw fail(keyNode, "unknown key '\(key)'\(suggestion(key, ThemeParser.topLevelKeys)) (known keys: \(ThemeParser.list(ThemeParser.topLevelKeys)))")
            }
        }
        guard let name else { throw fail(nil, "missing 'name:' (the theme's name, e.g. name: custom)") }
        let palette = try paletteNode.map { node throws(ThemeError) in try self.palette(node) } ?? [:]
        guard let rolesEntry else {
            throw fail(nil, "missing 'roles:' (a theme styles every role; start from themes/default.yaml)")
        }
        let styles = try roles(rolesEntry.value, key: rolesEntry.key, palette: palette)
        return Theme(name: name, description: description, styles: styles)
    }

    func palette(_ node: Node) throws(ThemeError) -> [String: ThemeColor] {
        if isNull(node) { return [:] }
        guard case let .mapping(mapping) = node else {
            throw fail(node, "'palette' is a mapping of names to colours, e.g. accent: \"#6ca0f0\"")
        }
        var palette: [String: ThemeColor] = [:]
        for (keyNode, value) in mapping {
            let key = try keyString(keyNode)
            guard key.first?.isLetter == true, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw fail(keyNode, "palette name '\(key)' must start with a letter and use only letters, digits, '-' and '_'")
            }
            guard !ColorLiteral.isReservedName(key) else {
                throw fail(keyNode, "palette name '\(key)' is already a colour; pick another name so roles stay unambiguous")
            }
            let text = try colorText(value, what: "palette entry '\(key)'")
            switch ColorLiteral.parse(text) {
            case let .color(color): palette[key] = color
            case let .malformed(message): throw fail(value, message)
            case .notALiteral:
                throw fail(value, "bad colour '\(text)' for palette entry '\(key)' (palette entries are colours: \(colorGrammar); they cannot name other entries)")
            }
        }
        return palette
    }

    func roles(_ node: Node, key: Node, palette: [String: ThemeColor]) throws(ThemeError) -> [StyleRole: Style] {
        guard case let .mapping(mapping) = node else {
            throw fail(isNull(node) ? key : node, "'roles' is a mapping of role names to styles, e.g. title: {fg: accent, attrs: [bold]}")
        }
        let known = StyleRole.allCases.map(\.rawValue)
        var styles: [StyleRole: Style] = [:]
        for (keyNode, value) in mapping {
            let name = try keyString(keyNode)
            guard let role = StyleRole(rawValue: name) else {
                throw fail(keyNode, "unknown role '\(name)'\(suggestion(name, known)) (known roles: \(ThemeParser.list(known)))")
            }
            styles[role] = try style(value, key: keyNode, role: name, palette: palette)
        }
        let missing = StyleRole.allCases.filter { styles[$0] == nil }.map(\.rawValue)
        guard missing.isEmpty else {
            throw fail(key, "missing role\(missing.count == 1 ? "" : "s") \(ThemeParser.list(missing)): a theme styles every role (write {} for the terminal's defaults)")
        }
        return styles
    }

    func style(_ node: Node, key: Node, role: String, palette: [String: ThemeColor]) throws(ThemeError) -> Style {
        guard case let .mapping(mapping) = node else {
            throw fail(isNull(node) ? key : node, "role '\(role)' needs a mapping such as {fg: accent, bg: default, attrs: [bold]}; write {} for the terminal's defaults")
        }
        var style = Style()
        for (keyNode, value) in mapping {
            let key = try keyString(keyNode)
            switch key {
            case "fg": style.foreground = try color(value, what: "'\(role)' fg", palette: palette)
            case "bg": style.background = try color(value, what: "'\(role)' bg", palette: palette)
            case "attrs": try attributes(value, role: role, into: &style)
            default:
                throw fail(keyNode, "unknown key '\(key)' in role '\(role)'\(suggestion(key, ThemeParser.roleKeys)) (known keys: \(ThemeParser.list(ThemeParser.roleKeys)))")
            }
        }
        return style
    }

    func color(_ node: Node, what: String, palette: [String: ThemeColor]) throws(ThemeError) -> ThemeColor {
        let text = try colorText(node, what: what)
        switch ColorLiteral.parse(text) {
        case let .color(color): return color
        case let .malformed(message): throw fail(node, message)
        case .notALiteral:
            if let color = palette[text] { return color }
            let names = palette.keys.sorted()
            let known = names.isEmpty ? "the palette is empty" : "palette: \(ThemeParser.list(names))"
            throw fail(node, "unknown colour '\(text)' for \(what)\(suggestion(text, names + ThemeColor.ansiNames)) (\(known); or a colour: \(colorGrammar))")
        }
    }

    func attributes(_ node: Node, role: String, into style: inout Style) throws(ThemeError) {
        guard case let .sequence(sequence) = node else {
            throw fail(node, "'attrs' of role '\(role)' is a list such as [bold, underline] (use [] for none)")
        }
        var seen: Set<String> = []
        for item in sequence {
            let name = try string(item, what: "attribute")
            guard seen.insert(name).inserted else { throw fail(item, "attribute '\(name)' listed twice in role '\(role)'") }
            switch name {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "underline": style.underline = true
            case "reverse": style.reverse = true
            default:
                throw fail(item, "unknown attribute '\(name)' in role '\(role)'\(suggestion(name, ThemeParser.attributeNames)) (known attributes: \(ThemeParser.list(ThemeParser.attributeNames)))")
            }
        }
    }

    // MARK: scalars

    var colorGrammar: String { "\"#rrggbb\", a name such as red or bright-blue, ansi:0-15, color:0-255, default" }

    func keyString(_ node: Node) throws(ThemeError) -> String {
        guard case let .scalar(scalar) = node else { throw fail(node, "keys must be plain words") }
        return scalar.string
    }

    func string(_ node: Node, what: String) throws(ThemeError) -> String {
        guard case let .scalar(scalar) = node, !isNull(node) else { throw fail(node, "\(what) must be a single word or quoted text") }
        return scalar.string
    }

    /// Like `string`, but explains the commonest YAML slip: an unquoted `#` starts a comment,
    /// so `fg: #ff0000` silently means "no value".
    func colorText(_ node: Node, what: String) throws(ThemeError) -> String {
        if isNull(node) {
            throw fail(node, "\(what) has no colour; quote hex colours (\"#rrggbb\"): an unquoted # starts a YAML comment")
        }
        guard case let .scalar(scalar) = node else { throw fail(node, "\(what) must be one colour: \(colorGrammar)") }
        return scalar.string
    }

    /// YAML's null: an empty value, `~` or `null`, unquoted (a quoted "null" is text).
    func isNull(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// " (did you mean 'x'?)" when a known word is one or two edits away, else "".
    func suggestion(_ word: String, _ candidates: [String]) -> String {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2, best.1 < word.count else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours each cost one, so 'stauts' is one edit from 'status'.
    func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
