/// The rules every command template shares (`log-command`, `--copy-command`): the text is split
/// into arguments on whitespace BEFORE any placeholder is filled, the program must be fixed text,
/// only known placeholders may appear, and each placeholder is replaced inside its own argument in
/// one pass, so a value containing "{port}" is never expanded again. The result runs as an
/// argument list, never through a shell.
enum ArgumentTemplate {
    enum Problem: Error {
        case empty
        case placeholderInProgram(String)
        case unknownPlaceholder(String)
    }

    /// A known placeholder this use has no value for (a {pod} with no pod name).
    struct MissingValue: Error {
        let placeholder: String
    }

    static func words(_ text: String, placeholders: [String]) throws(Problem) -> [String] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard let first = words.first else { throw .empty }
        guard !first.contains("{") else { throw .placeholderInProgram(first) }
        for word in words {
            var rest = Substring(word)
            while let open = rest.firstIndex(of: "{") {
                guard let close = rest[open...].firstIndex(of: "}") else { break }
                let name = String(rest[open...close])
                guard placeholders.contains(name) else { throw .unknownPlaceholder(name) }
                rest = rest[rest.index(after: close)...]
            }
        }
        return words
    }

    /// One argument with its placeholders filled; text in braces that is no placeholder stays.
    static func fill(_ word: String, values: [String: String], placeholders: [String]) throws(MissingValue) -> String {
        guard word.contains("{") else { return word }
        var out = ""
        var rest = Substring(word)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            if let close = rest[open...].firstIndex(of: "}") {
                let name = String(rest[open...close])
                if let value = values[name] {
                    out += value
                    rest = rest[rest.index(after: close)...]
                    continue
                }
                if placeholders.contains(name) { throw MissingValue(placeholder: name) }
            }
            out.append("{")
            rest = rest[rest.index(after: open)...]
        }
        return out + rest
    }
}
