import Foundation

extension Theme {
    /// The default dark theme, compiled in so shardtop looks right when no themes directory can
    /// be found (a copied binary, a read-only install). themes/default.yaml is this theme
    /// written out, with the reasons for each choice; ThemeTests keeps the two equal, so change
    /// both together.
    public static let builtinDefault: Theme = {
        let textStrong = hex(0xEEF1F6), text = hex(0xC5CBD6), textMuted = hex(0x8B94A5)
        let textFaint = hex(0x4F5666), onAccent = hex(0x1B1F27)
        let barBg = hex(0x262B34), panelBg = hex(0x2B313C), inputBg = hex(0x3A4150)
        let selectBg = hex(0x2F3D52), cursorBg = hex(0x3D5A80)
        let accent = hex(0x6CA0F0), teal = hex(0x56B6C2), leaf = hex(0x98C379)
        let amber = hex(0xE5C07B), rose = hex(0xE06C75), alarmBg = hex(0xB3303C)
        let orchid = hex(0xC678DD), slate = hex(0x8FA1B3)
        let shards = [0x6CA8FF, 0xF0AA5E, 0x56D4E8, 0xFF8FC8, 0xA3D977, 0xA078BE, 0xBCA645, 0x2FB39A].map(hex)

        var styles: [StyleRole: Style] = [
            .normal: Style(foreground: text, background: .default),
            .dim: Style(foreground: textMuted),
            .title: Style(foreground: accent, bold: true),
            .header: Style(foreground: teal, bold: true),
            .border: Style(foreground: textFaint),
            .tabActive: Style(foreground: onAccent, background: accent, bold: true),
            .tabInactive: Style(foreground: textMuted),
            .footerKey: Style(foreground: accent, background: barBg, bold: true),
            .footerLabel: Style(foreground: text, background: barBg),
            .footerDisabled: Style(foreground: textFaint, background: barBg),
            .selected: Style(foreground: textStrong, background: selectBg),
            .cursor: Style(foreground: textStrong, background: cursorBg, bold: true),
            .ok: Style(foreground: leaf),
            .info: Style(foreground: teal),
            .warning: Style(foreground: amber, bold: true),
            .error: Style(foreground: rose, bold: true),
            .primary: Style(foreground: orchid, bold: true),
            .replica: Style(foreground: slate),
            .bar: Style(foreground: leaf),
            .barWarning: Style(foreground: amber),
            .barError: Style(foreground: rose),
            .barEmpty: Style(foreground: textFaint),
            .sparkline: Style(foreground: teal),
            .slotUncovered: Style(foreground: textStrong, background: alarmBg, bold: true),
            .slotMigrating: Style(foreground: amber, bold: true),
            .slotImporting: Style(foreground: teal, bold: true),
            .dialog: Style(foreground: text, background: panelBg),
            .danger: Style(foreground: textStrong, background: alarmBg, bold: true),
            .input: Style(foreground: textStrong, background: inputBg, underline: true),
        ]
        for (index, color) in shards.enumerated() { styles[.shard(index)] = Style(foreground: color) }
        return Theme(
            name: "default",
            description: "Calm dark theme on the terminal's own background; loud only for trouble.",
            styles: styles
        )
    }()

    /// Attributes only, for NO_COLOR and terminals without colour; also where a colour theme
    /// downgraded to mono borrows attributes for roles it told apart by colour alone.
    /// themes/mono.yaml is this theme written out (ThemeTests keeps them equal).
    public static let builtinMono: Theme = {
        var styles: [StyleRole: Style] = [
            .normal: Style(),
            .dim: Style(dim: true),
            .title: Style(bold: true),
            .header: Style(bold: true, underline: true),
            .border: Style(dim: true),
            .tabActive: Style(bold: true, reverse: true),
            .tabInactive: Style(dim: true),
            .footerKey: Style(bold: true, reverse: true),
            .footerLabel: Style(reverse: true),
            .footerDisabled: Style(dim: true, reverse: true),
            .selected: Style(reverse: true),
            .cursor: Style(bold: true, reverse: true),
            .ok: Style(),
            .info: Style(),
            .warning: Style(bold: true),
            .error: Style(bold: true, underline: true),
            .primary: Style(bold: true),
            .replica: Style(),
            .bar: Style(),
            .barWarning: Style(bold: true),
            .barError: Style(bold: true, underline: true),
            .barEmpty: Style(dim: true),
            .sparkline: Style(),
            .slotUncovered: Style(bold: true, reverse: true),
            .slotMigrating: Style(bold: true),
            .slotImporting: Style(bold: true),
            .dialog: Style(),
            .danger: Style(bold: true, reverse: true),
            .input: Style(underline: true),
        ]
        // Neighbouring shards alternate bold and dim (and every other pair adds underline), so
        // slot-map boundaries stay visible without colour. Reverse is avoided: a reversed full
        // block looks like an empty cell.
        for index in 0..<8 {
            styles[.shard(index)] = Style(bold: index % 2 == 0, dim: index % 2 == 1, underline: index % 4 >= 2)
        }
        return Theme(
            name: "mono",
            description: "No colour, attributes only: for NO_COLOR, monochrome terminals and screen recordings.",
            styles: styles
        )
    }()

    /// Themes available without any file, by name.
    public static let builtins: [Theme] = [builtinDefault, builtinMono]

    private static func hex(_ value: Int) -> ThemeColor {
        .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}

/// Finds and loads themes: `--theme NAME|PATH`, NO_COLOR, the themes directory, the built-ins.
public enum ThemeCatalog {
    /// The theme to start with. `nameOrPath` nil means "default". A value containing "/" or
    /// ending in .yaml/.yml is a file; anything else is a name looked up as
    /// `<themesDirectory>/<name>.yaml`, then among the built-ins. `themesDirectory` nil means
    /// built-ins only (see `themesDirectory(environment:)` for finding it).
    ///
    /// A non-empty NO_COLOR selects mono whatever was requested, unless the requested theme is
    /// itself attribute-only. The requested theme is still loaded first, so a typo in
    /// `--theme` is reported rather than hidden by NO_COLOR.
    public static func load(nameOrPath: String?, themesDirectory: String?, environment: [String: String]) throws(ThemeError) -> Theme {
        let requested = try resolve(nameOrPath ?? "default", themesDirectory: themesDirectory)
        guard noColor(environment) else { return requested }
        return requested.usesColor ? try resolve("mono", themesDirectory: themesDirectory) : requested
    }

    /// Theme names to cycle through live: the built-ins plus every `*.yaml` in the directory,
    /// sorted, with "default" first.
    public static func names(in directory: String?) -> [String] {
        var names = Set(Theme.builtins.map(\.name))
        if let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for file in files where file.hasSuffix(".yaml") && !file.hasPrefix(".") {
                names.insert(String(file.dropLast(".yaml".count)))
            }
        }
        return names.sorted { lhs, rhs in
            if lhs == "default" || rhs == "default" { return lhs == "default" && rhs != "default" }
            return lhs < rhs
        }
    }

    /// Where theme files live, first match wins:
    /// 1. `$SHARDTOP_THEMES` (any existing directory: the user said so);
    /// 2. `<executable dir>/../../themes` (and one level further up, for
    ///    `.build/<triple>/debug`), or `<executable dir>/../share/shardtop/themes` for an
    ///    installed binary;
    /// 3. `<cwd>/themes`, for `swift run` from the checkout;
    /// 4. `$XDG_DATA_HOME/shardtop/themes` (default `~/.local/share/shardtop/themes`).
    /// Candidates 2 and 3 must hold a default.yaml, so an unrelated folder that happens to be
    /// called themes is not mistaken for ours. Nil means: use the built-ins.
    public static func themesDirectory(
        environment: [String: String],
        executablePath: String? = Bundle.main.executablePath,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String? {
        if let explicit = environment["SHARDTOP_THEMES"], !explicit.isEmpty, isDirectory(explicit) {
            return explicit
        }
        var ours: [String] = []
        if let executablePath {
            let executable = URL(fileURLWithPath: executablePath)
            for binary in [executable, executable.resolvingSymlinksInPath()] {
                let directory = binary.deletingLastPathComponent()
                ours.append(directory.appendingPathComponent("../../themes").standardized.path)
                ours.append(directory.appendingPathComponent("../../../themes").standardized.path)
                ours.append(directory.appendingPathComponent("../share/shardtop/themes").standardized.path)
            }
        }
        ours.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("themes").standardized.path)
        if let found = ours.first(where: { FileManager.default.fileExists(atPath: $0 + "/default.yaml") }) {
            return found
        }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { $0 + "/.local/share" }
        if let dataHome, isDirectory(dataHome + "/shardtop/themes") { return dataHome + "/shardtop/themes" }
        return nil
    }

    /// Reads and parses one theme file; errors name the path as given.
    public static func load(path: String) throws(ThemeError) -> Theme {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ThemeError(file: path, message: "no such theme file")
        }
        guard !isDirectory.boolValue,
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular
        else {
            throw ThemeError(file: path, message: "not a regular file (a theme is a .yaml file)")
        }
        // Theme files are a few kilobytes; refusing large ones keeps a wrong path from stalling startup.
        if let size = attributes[.size] as? Int, size > 1 << 20 {
            throw ThemeError(file: path, message: "too large for a theme file (\(size) bytes)")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ThemeError(file: path, message: "cannot read as UTF-8 text: \(error.localizedDescription)")
        }
        return try ThemeParser.parse(text, file: path)
    }

    static func resolve(_ nameOrPath: String, themesDirectory: String?) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try load(path: nameOrPath)
        }
        if let themesDirectory {
            let path = (themesDirectory as NSString).appendingPathComponent(nameOrPath + ".yaml")
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        if let builtin = Theme.builtins.first(where: { $0.name == nameOrPath }) { return builtin }
        let available = names(in: themesDirectory).joined(separator: ", ")
        throw ThemeError(file: nil, message: "unknown theme '\(nameOrPath)' (available: \(available); or give a path to a .yaml file)")
    }

    /// no-color.org: set and non-empty means no colour, whatever the value.
    public static func noColor(_ environment: [String: String]) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
