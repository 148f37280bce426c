import Foundation
import Testing
@testable import ShardtopUI

/// The repository's themes/ directory, found from this file so the tests do not depend on the
/// working directory `swift test` runs in.
private let themesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent() // Theme
    .deletingLastPathComponent() // ShardtopUITests
    .deletingLastPathComponent() // Tests
    .deletingLastPathComponent() // package root
    .appendingPathComponent("themes").path

private func themeText(_ name: String) throws -> String {
    try String(contentsOfFile: themesDirectory + "/\(name).yaml", encoding: .utf8)
}

/// The error `text` produces, or nil when it parses.
private func parseError(_ text: String, file: String = "themes/custom.yaml") -> ThemeError? {
    do {
        _ = try ThemeParser.parse(text, file: file)
        return nil
    } catch {
        return error
    }
}

/// Roles whose styles differ, for a readable failure instead of two huge dictionaries.
private func differences(_ lhs: Theme, _ rhs: Theme) -> [String] {
    var result = StyleRole.allCases.compactMap { role -> String? in
        lhs.styles[role] == rhs.styles[role] ? nil : "\(role): \(String(describing: lhs.styles[role])) != \(String(describing: rhs.styles[role]))"
    }
    if lhs.name != rhs.name { result.append("name: \(lhs.name) != \(rhs.name)") }
    if lhs.description != rhs.description { result.append("description: \(lhs.description) != \(rhs.description)") }
    return result
}

@Suite("Theme files")
struct ThemeFileTests {
    @Test("default.yaml is the built-in theme written out")
    func defaultFileEqualsBuiltin() throws {
        let parsed = try ThemeParser.parse(try themeText("default"), file: "themes/default.yaml")
        #expect(differences(parsed, Theme.builtinDefault) == [])
        #expect(parsed == Theme.builtinDefault)
    }

    @Test("mono.yaml is the built-in mono theme written out")
    func monoFileEqualsBuiltin() throws {
        let parsed = try ThemeParser.parse(try themeText("mono"), file: "themes/mono.yaml")
        #expect(differences(parsed, Theme.builtinMono) == [])
    }

    @Test("every file in themes/ parses, is complete and is named after its file")
    func everyShippedThemeIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: themesDirectory).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files).isSuperset(of: ["default.yaml", "light.yaml", "high-contrast.yaml", "mono.yaml"]))
        for file in files {
            let theme = try ThemeCatalog.load(path: themesDirectory + "/" + file)
            #expect(theme.missingRoles == [], "\(file)")
            #expect(Set(theme.styles.keys) == Set(StyleRole.allCases), "\(file)")
            #expect(theme.name + ".yaml" == file)
            #expect(!theme.description.isEmpty, "\(file)")
        }
    }

    @Test("mono uses attributes only")
    func monoHasNoColours() throws {
        let mono = try ThemeCatalog.load(path: themesDirectory + "/mono.yaml")
        #expect(!mono.usesColor)
        for (role, style) in mono.styles {
            #expect(style.foreground == nil && style.background == nil, "\(role)")
        }
        #expect(mono[.selected].reverse && mono[.cursor].reverse && mono[.tabActive].reverse)
        #expect(mono[.title].bold)
    }

    @Test("neighbouring shards look different in every shipped theme")
    func shardNeighboursDiffer() throws {
        for name in ["default", "light", "high-contrast", "mono"] {
            let theme = try ThemeCatalog.load(path: themesDirectory + "/\(name).yaml")
            for index in 0..<8 {
                #expect(theme[.shard(index)] != theme[.shard(index + 1)], "\(name) shard\(index)")
            }
        }
    }

    @Test("no shipped theme draws text in its own background colour, at any depth")
    func noInvisibleTextAtAnyDepth() throws {
        for name in ["default", "light", "high-contrast", "mono"] {
            let theme = try ThemeCatalog.load(path: themesDirectory + "/\(name).yaml")
            for depth in ColorDepth.allCases {
                for (role, style) in theme.downgraded(to: depth).styles {
                    if let foreground = style.foreground, foreground != .default {
                        #expect(foreground != style.background, "\(name) \(depth) \(role)")
                    }
                }
            }
        }
    }
}

@Suite("Theme parser errors")
struct ThemeParserErrorTests {
    @Test("an unknown role names the file and the exact line")
    func unknownRoleNamesLine() throws {
        let lines = [
            "# custom theme",                     // 1
            "name: custom",                       // 2
            "description: test",                  // 3
            "",                                   // 4
            "palette:",                           // 5
            "  accent: \"#6ca0f0\"",              // 6
            "  calm: green",                      // 7
            "",                                   // 8
            "roles:",                             // 9
            "  normal: {fg: default}",            // 10
            "  dim: {attrs: [dim]}",              // 11
            "  # a comment line still counts",    // 12
            "  title: {fg: accent, attrs: [bold]}", // 13
            "  stauts: {fg: calm}",               // 14
            "  header: {}",                       // 15
        ]
        #expect(lines[13].contains("stauts"))
        let error = try #require(parseError(lines.joined(separator: "\n")))
        #expect(error.file == "themes/custom.yaml")
        #expect(error.line == 14)
        #expect(error.description.hasPrefix("themes/custom.yaml:14: unknown role 'stauts' (known roles: normal, dim, title, header,"))
        #expect(error.description.contains("shard7, dialog, danger, input)"))
    }

    @Test("a misspelt role in a real theme file points at its line and suggests the role")
    func misspeltRoleInDefaultFile() throws {
        var lines = try themeText("default").components(separatedBy: "\n")
        let index = try #require(lines.firstIndex(of: "  dialog: {fg: text, bg: panel-bg}"))
        lines[index] = "  dialgo: {fg: text, bg: panel-bg}"
        let error = try #require(parseError(lines.joined(separator: "\n"), file: "themes/default.yaml"))
        #expect(error.line == index + 1)
        #expect(error.description.hasPrefix("themes/default.yaml:\(index + 1): unknown role 'dialgo'; did you mean 'dialog'?"))
    }

    @Test("a missing role is an error naming the file and the role")
    func missingRole() throws {
        let text = try themeText("default").replacingOccurrences(
            of: "  input: {fg: text-strong, bg: input-bg, attrs: [underline]}\n", with: "")
        let error = try #require(parseError(text, file: "themes/default.yaml"))
        #expect(error.file == "themes/default.yaml")
        #expect(error.message.hasPrefix("missing role input:"))
        #expect(error.description.hasPrefix("themes/default.yaml:"))
    }

    @Test("several missing roles are listed together")
    func missingRoles() throws {
        let error = try #require(parseError("name: x\nroles:\n  normal: {}\n"))
        #expect(error.line == 2)
        #expect(error.message.hasPrefix("missing roles dim, title, header,"))
    }

    @Test("bad colours are errors with their line", arguments: [
        ("  normal: {fg: \"#12345\"}", "bad colour '#12345': hex colours are \"#rrggbb\" with six hex digits"),
        ("  normal: {fg: \"#12345g\"}", "bad colour '#12345g': hex colours are \"#rrggbb\" with six hex digits"),
        ("  normal: {fg: ansi:16}", "bad colour 'ansi:16': ansi:N needs N in 0-15"),
        ("  normal: {bg: color:256}", "bad colour 'color:256': color:N needs N in 0-255"),
        ("  normal: {fg: color:-1}", "bad colour 'color:-1': color:N needs N in 0-255"),
    ])
    func badColour(line: String, message: String) throws {
        let error = try #require(parseError("name: x\nroles:\n\(line)\n"))
        #expect(error.line == 3)
        #expect(error.message == message)
    }

    @Test("an unquoted hex colour (a YAML comment) gets a hint")
    func unquotedHex() throws {
        let error = try #require(parseError("name: x\nroles:\n  normal:\n    fg: #ff0000\n"))
        #expect(error.line == 4)
        #expect(error.message == "'normal' fg has no colour; quote hex colours (\"#rrggbb\"): an unquoted # starts a YAML comment")
    }

    @Test("an unknown colour name lists the palette and suggests the nearest name")
    func unknownColourName() throws {
        let error = try #require(parseError("name: x\npalette:\n  accent: red\nroles:\n  normal: {fg: acent}\n"))
        #expect(error.line == 5)
        #expect(error.message.hasPrefix("unknown colour 'acent' for 'normal' fg; did you mean 'accent'? (palette: accent; or a colour:"))
    }

    @Test("other mistakes are errors with their line", arguments: [
        ("name: x\ncolours: {}\nroles: {}\n", 2, "unknown key 'colours'"),
        ("name: x\nroles:\n  normal: {fg: red, bold: true}\n", 3, "unknown key 'bold' in role 'normal'"),
        ("name: x\nroles:\n  normal: {fg: red, attrs: [bold, blink]}\n", 3, "unknown attribute 'blink' in role 'normal'"),
        ("name: x\nroles:\n  normal: {attrs: bold}\n", 3, "'attrs' of role 'normal' is a list"),
        ("name: x\nroles:\n  normal: {attrs: [bold, bold]}\n", 3, "attribute 'bold' listed twice"),
        ("name: x\nroles:\n  normal:\n", 3, "role 'normal' needs a mapping"),
        ("name: x\npalette:\n  red: \"#ff0000\"\nroles: {}\n", 3, "palette name 'red' is already a colour"),
        ("name: x\npalette:\n  accent: accent2\nroles: {}\n", 3, "bad colour 'accent2' for palette entry 'accent'"),
        ("name: x\nroles:\n  normal: {}\n  normal: {}\n", 3, "duplicate key 'normal'"),
        ("name: x\nroles:\n  normal: {fg: red\n", 4, "not valid YAML"),
        ("- a list\n", 1, "a theme file is a mapping"),
    ])
    func otherMistakes(text: String, line: Int, prefix: String) throws {
        let error = try #require(parseError(text))
        #expect(error.file == "themes/custom.yaml")
        #expect(error.line == line, "\(error)")
        #expect(error.message.hasPrefix(prefix), "\(error)")
    }

    @Test("name and roles are required; an empty file says what it needs")
    func requiredKeys() {
        #expect(parseError("roles: {}\n")?.description == "themes/custom.yaml: missing 'name:' (the theme's name, e.g. name: custom)")
        #expect(parseError("name: x\n")?.message.hasPrefix("missing 'roles:'") == true)
        #expect(parseError("")?.message.hasPrefix("empty theme file") == true)
    }

    @Test("colour spellings parse to the right colours")
    func colourSpellings() throws {
        let text = """
        name: spellings
        palette:
          sky: "#5FD7FF"
        roles:
          normal: {fg: sky, bg: default}
          dim: {fg: bright-black, bg: ansi:4}
          title: {fg: color:208, bg: black}
          header: {fg: "#000000"}
        """
        var theme: Theme?
        do { theme = try ThemeParser.parse(text, file: "t.yaml") } catch {
            #expect(error.message.hasPrefix("missing roles border"), "only the missing roles should fail")
        }
        #expect(theme == nil)
        // Complete the theme from the default file's roles to check the values themselves.
        let complete = text + "\n" + StyleRole.allCases.dropFirst(4).map { "  \($0.rawValue): {}" }.joined(separator: "\n")
        let parsed = try ThemeParser.parse(complete, file: "t.yaml")
        #expect(parsed[.normal] == Style(foreground: .rgb(0x5F, 0xD7, 0xFF), background: .default))
        #expect(parsed[.dim] == Style(foreground: .ansi(8), background: .ansi(4)))
        #expect(parsed[.title] == Style(foreground: .palette256(208), background: .ansi(0)))
        #expect(parsed[.header] == Style(foreground: .rgb(0, 0, 0)))
        #expect(parsed[.input] == Style())
        #expect(ThemeColor.rgb(0x5F, 0xD7, 0x0A).themeFileSpelling == "#5fd70a")
    }
}

@Suite("Theme catalog")
struct ThemeCatalogTests {
    @Test("NO_COLOR picks mono whatever was asked for")
    func noColorPicksMono() throws {
        for requested in [nil, "default", "light", themesDirectory + "/high-contrast.yaml"] {
            let theme = try ThemeCatalog.load(nameOrPath: requested, themesDirectory: themesDirectory, environment: ["NO_COLOR": "1"])
            #expect(theme.name == "mono")
            #expect(!theme.usesColor)
        }
        let builtin = try ThemeCatalog.load(nameOrPath: "default", themesDirectory: nil, environment: ["NO_COLOR": "yes"])
        #expect(builtin == Theme.builtinMono)
        // Empty means unset (no-color.org).
        let coloured = try ThemeCatalog.load(nameOrPath: nil, themesDirectory: themesDirectory, environment: ["NO_COLOR": ""])
        #expect(coloured == Theme.builtinDefault)
        // NO_COLOR does not hide a typo.
        #expect(throws: ThemeError.self) {
            try ThemeCatalog.load(nameOrPath: "ligth", themesDirectory: themesDirectory, environment: ["NO_COLOR": "1"])
        }
    }

    @Test("names load from the directory, paths from anywhere, built-ins without a directory")
    func loadByNameOrPath() throws {
        let light = try ThemeCatalog.load(nameOrPath: "light", themesDirectory: themesDirectory, environment: [:])
        #expect(light.name == "light" && light.usesColor)
        let byPath = try ThemeCatalog.load(nameOrPath: themesDirectory + "/light.yaml", themesDirectory: nil, environment: [:])
        #expect(byPath == light)
        #expect(try ThemeCatalog.load(nameOrPath: nil, themesDirectory: nil, environment: [:]) == Theme.builtinDefault)
        #expect(try ThemeCatalog.load(nameOrPath: "mono", themesDirectory: nil, environment: [:]) == Theme.builtinMono)
    }

    @Test("an unknown name lists what exists; a missing file names the path")
    func unknownNames() {
        do {
            _ = try ThemeCatalog.load(nameOrPath: "solarized", themesDirectory: themesDirectory, environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.file == nil)
            #expect(error.message.hasPrefix("unknown theme 'solarized' (available: default, high-contrast, light, mono"))
        }
        do {
            _ = try ThemeCatalog.load(nameOrPath: "/nonexistent/mine.yaml", themesDirectory: nil, environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/mine.yaml: no such theme file")
        }
    }

    @Test("theme names are sorted with default first and include the built-ins")
    func names() {
        #expect(ThemeCatalog.names(in: themesDirectory).prefix(4) == ["default", "high-contrast", "light", "mono"])
        #expect(ThemeCatalog.names(in: nil) == ["default", "mono"])
    }

    @Test("the themes directory is found from SHARDTOP_THEMES, the executable, the cwd, then XDG")
    func findsThemesDirectory() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-themes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let checkout = scratch + "/checkout"
        let binary = checkout + "/.build/x86_64-unknown-linux-gnu/debug/shardtop"
        let xdg = scratch + "/xdg"
        for directory in [checkout + "/themes", (binary as NSString).deletingLastPathComponent, xdg + "/shardtop/themes", scratch + "/empty"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try "name: default\n".write(toFile: checkout + "/themes/default.yaml", atomically: true, encoding: .utf8)

        let explicit = ThemeCatalog.themesDirectory(environment: ["SHARDTOP_THEMES": xdg], executablePath: binary, currentDirectory: scratch)
        #expect(explicit == xdg)
        let fromBinary = ThemeCatalog.themesDirectory(environment: [:], executablePath: binary, currentDirectory: scratch + "/empty")
        #expect(fromBinary == checkout + "/themes")
        let fromCwd = ThemeCatalog.themesDirectory(environment: [:], executablePath: nil, currentDirectory: checkout)
        #expect(fromCwd == checkout + "/themes")
        let fromXDG = ThemeCatalog.themesDirectory(environment: ["XDG_DATA_HOME": xdg], executablePath: nil, currentDirectory: scratch + "/empty")
        #expect(fromXDG == xdg + "/shardtop/themes")
        let nothing = ThemeCatalog.themesDirectory(environment: ["HOME": scratch + "/empty"], executablePath: nil, currentDirectory: scratch + "/empty")
        #expect(nothing == nil)
        // A folder called themes without a default.yaml is somebody else's.
        try FileManager.default.createDirectory(atPath: scratch + "/empty/themes", withIntermediateDirectories: true)
        #expect(ThemeCatalog.themesDirectory(environment: [:], executablePath: nil, currentDirectory: scratch + "/empty") == nil)
    }
}

@Suite("Theme colour downgrade")
struct ThemeDowngradeTests {
    @Test("depth detection: NO_COLOR, COLORTERM and the colour count")
    func detect() {
        #expect(ColorDepth.detect(colorsSupported: 256, environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"]) == .mono)
        #expect(ColorDepth.detect(colorsSupported: 256, environment: ["NO_COLOR": ""]) == .palette256)
        #expect(ColorDepth.detect(colorsSupported: 256, environment: ["COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColorDepth.detect(colorsSupported: 256, environment: ["COLORTERM": "24bit"]) == .truecolor)
        #expect(ColorDepth.detect(colorsSupported: 8, environment: ["COLORTERM": "truecolor"]) == .ansi8)
        #expect(ColorDepth.detect(colorsSupported: 16_777_216, environment: [:]) == .truecolor)
        #expect(ColorDepth.detect(colorsSupported: 16, environment: [:]) == .ansi16)
        #expect(ColorDepth.detect(colorsSupported: 8, environment: [:]) == .ansi8)
        #expect(ColorDepth.detect(colorsSupported: 0, environment: [:]) == .mono)
        #expect(ColorDepth.detect(colorsSupported: -1, environment: [:]) == .mono)
    }

    @Test("rgb to the 256-colour cube and grey ramp", arguments: [
        (0x6C, 0xA0, 0xF0, 75),   // accent blue -> (95,175,255)
        (0xFF, 0x00, 0x00, 196),
        (0x00, 0x00, 0x00, 16),
        (0xFF, 0xFF, 0xFF, 231),
        (0x80, 0x80, 0x80, 244),  // mid grey is on the ramp, not the cube
        (0x26, 0x2B, 0x34, 236),  // footer slab -> dark grey
        (0xE5, 0xC0, 0x7B, 180),
    ])
    func to256(r: Int, g: Int, b: Int, expected: Int) {
        #expect(ColorDowngrade.convert(.rgb(UInt8(r), UInt8(g), UInt8(b)), to: .palette256) == .palette256(expected))
    }

    @Test("rgb to 16 keeps the hue (muted greens stay green) and to 8 drops brightness", arguments: [
        (0xE0, 0x6C, 0x75, 9, 1),   // error rose -> bright-red -> red
        (0x98, 0xC3, 0x79, 10, 2),  // muted ok green -> bright-green (plain distance would say grey)
        (0xE5, 0xC0, 0x7B, 11, 3),  // warning amber -> bright-yellow
        (0x2F, 0x3D, 0x52, 4, 4),   // selection slab -> blue
        (0xA0, 0x78, 0xBE, 5, 5),   // dark violet shard -> magenta
        (0xC5, 0xCB, 0xD6, 7, 7),   // body text -> white
        (0x8B, 0x94, 0xA5, 8, 7),   // muted grey -> bright-black -> white (black would vanish)
        (0x1B, 0x1F, 0x27, 0, 0),   // near-black -> black
        (0xEE, 0xF1, 0xF6, 15, 7),  // near-white -> bright-white -> white
    ])
    func to16And8(r: Int, g: Int, b: Int, ansi16: Int, ansi8: Int) {
        let color = ThemeColor.rgb(UInt8(r), UInt8(g), UInt8(b))
        #expect(ColorDowngrade.convert(color, to: .ansi16) == .ansi(ansi16))
        #expect(ColorDowngrade.convert(color, to: .ansi8) == .ansi(ansi8))
    }

    @Test("256-colour and ansi colours step down too; default always survives")
    func paletteSteps() {
        #expect(ColorDowngrade.convert(.palette256(196), to: .ansi16) == .ansi(9))
        #expect(ColorDowngrade.convert(.palette256(244), to: .ansi16) == .ansi(8))
        #expect(ColorDowngrade.convert(.palette256(3), to: .ansi16) == .ansi(3))
        #expect(ColorDowngrade.convert(.palette256(75), to: .ansi8) == .ansi(4))
        #expect(ColorDowngrade.convert(.ansi(12), to: .ansi8) == .ansi(4))
        #expect(ColorDowngrade.convert(.ansi(12), to: .palette256) == .ansi(12))
        #expect(ColorDowngrade.convert(.default, to: .ansi8) == .default)
        #expect(ColorDowngrade.convert(.rgb(1, 2, 3), to: .truecolor) == .rgb(1, 2, 3))
        let orange = ColorDowngrade.rgb256(16 + 36 * 5 + 6 * 2 + 1)
        #expect(orange.0 == 255 && orange.1 == 135 && orange.2 == 95)
        let lightestGrey = ColorDowngrade.rgb256(255)
        #expect(lightestGrey.0 == 238 && lightestGrey.1 == 238 && lightestGrey.2 == 238)
    }

    @Test("whole themes: depth limits, grey on 8 colours, collisions fixed")
    func themeDowngrade() throws {
        let dark = Theme.builtinDefault
        #expect(dark.downgraded(to: .truecolor) == dark)
        for (depth, allowed) in [(ColorDepth.palette256, 0...255), (.ansi16, 0...15), (.ansi8, 0...7)] {
            for (role, style) in dark.downgraded(to: depth).styles {
                for color in [style.foreground, style.background].compactMap({ $0 }) {
                    switch color {
                    case .default: break
                    case let .ansi(index): #expect(allowed.contains(index) && index < 16, "\(depth) \(role)")
                    case let .palette256(index): #expect(depth == .palette256 && allowed.contains(index), "\(depth) \(role)")
                    case .rgb: Issue.record("rgb left in \(depth) \(role)")
                    }
                }
            }
        }
        #expect(dark.downgraded(to: .ansi16)[.error] == Style(foreground: .ansi(9), bold: true))
        #expect(dark.downgraded(to: .ansi8)[.error] == Style(foreground: .ansi(1), bold: true))
        // Grey text on 8 colours: dimmed white on a dark theme, dimmed black on a light one.
        #expect(dark.downgraded(to: .ansi8)[.dim] == Style(foreground: .ansi(7), dim: true))
        let light = try ThemeCatalog.load(path: themesDirectory + "/light.yaml")
        #expect(light.downgraded(to: .ansi8)[.dim] == Style(foreground: .ansi(0), dim: true))
        // The dialog slab and its text both become white on 8 colours; the text turns black.
        #expect(dark.downgraded(to: .ansi8)[.dialog] == Style(foreground: .ansi(0), background: .ansi(7)))
        // All eight dark shards stay distinct on 16 colours; neighbours still differ on 8.
        let shards16 = (0..<8).map { dark.downgraded(to: .ansi16)[.shard($0)].foreground }
        #expect(Set(shards16.map { $0?.themeFileSpelling ?? "" }).count == 8)
        let dark8 = dark.downgraded(to: .ansi8)
        for index in 0..<8 {
            #expect(dark8[.shard(index)].foreground != dark8[.shard(index + 1)].foreground, "shard\(index)")
        }
    }

    @Test("mono keeps attributes, turns bars into reverse and keeps orientation roles marked")
    func monoDowngrade() throws {
        let mono = Theme.builtinDefault.downgraded(to: .mono)
        #expect(!mono.usesColor)
        #expect(mono[.selected].reverse && mono[.cursor].reverse)
        #expect(mono[.tabActive].reverse || mono[.tabActive].bold)
        #expect(mono[.title].reverse || mono[.title].bold)
        #expect(mono[.error] == Style(bold: true))
        #expect(mono[.footerLabel] == Style(reverse: true))
        #expect(mono[.dim] == Theme.builtinMono[.dim])
        for index in 0..<8 { #expect(mono[.shard(index)] == Theme.builtinMono[.shard(index)]) }
        #expect(Theme.builtinMono.downgraded(to: .mono) == Theme.builtinMono)
        for name in ["light", "high-contrast"] {
            let theme = try ThemeCatalog.load(path: themesDirectory + "/\(name).yaml").downgraded(to: .mono)
            #expect(!theme.usesColor, "\(name)")
            #expect(theme[.selected].reverse && theme[.cursor].reverse, "\(name)")
            #expect(theme[.title].bold || theme[.title].reverse, "\(name)")
            #expect(theme[.tabActive].bold || theme[.tabActive].reverse, "\(name)")
        }
    }
}
