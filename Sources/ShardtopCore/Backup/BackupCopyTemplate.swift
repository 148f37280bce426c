/// `--copy-command`: how to fetch a shard's RDB file from a node on another host, such as
/// `scp {host}:{path} {dest}` or `kubectl cp {pod}:{path} {dest}`-style commands.
///
/// Same rules as LogCommandTemplate: the template is split into arguments on whitespace BEFORE
/// any placeholder is filled, and runs as an argument list, never through a shell, so a path or
/// host cannot become extra arguments or shell syntax; the program must be fixed text.
/// Placeholders: {host}, {port}, {id} (the saving node), {path} (the file on that host, from
/// CONFIG GET dir + dbfilename), {dest} (where the file goes in the backup directory).
public struct BackupCopyTemplate: Sendable, Hashable, CustomStringConvertible {
    public static let placeholders = ["{host}", "{port}", "{id}", "{path}", "{dest}"]

    public let arguments: [String]

    public init(parsing text: String) throws(BackupCopyTemplateError) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard let first = words.first else { throw .empty }
        guard !first.contains("{") else { throw .placeholderInProgram(first) }
        for word in words {
            var rest = Substring(word)
            while let open = rest.firstIndex(of: "{") {
                guard let close = rest[open...].firstIndex(of: "}") else { break }
                let name = String(rest[open...close])
                guard Self.placeholders.contains(name) else { throw .unknownPlaceholder(name) }
                rest = rest[rest.index(after: close)...]
            }
        }
        guard words.contains(where: { $0.contains("{dest}") }) else { throw .noDestination }
        arguments = words
    }

    /// The argument list for one file. Each placeholder is replaced inside its own argument, in
    /// one pass, so a value containing "{dest}" is not expanded again.
    public func expand(host: String, port: Int, id: String, path: String, dest: String) -> [String] {
        let values = ["{host}": host, "{port}": String(port), "{id}": id, "{path}": path, "{dest}": dest]
        return arguments.map { word in
            guard word.contains("{") else { return word }
            var out = ""
            var rest = Substring(word)
            while let open = rest.firstIndex(of: "{") {
                out += rest[..<open]
                if let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[open...close])] {
                    out += value
                    rest = rest[rest.index(after: close)...]
                    continue
                }
                out.append("{")
                rest = rest[rest.index(after: open)...]
            }
            return out + rest
        }
    }

    public var description: String { arguments.joined(separator: " ") }
}

public enum BackupCopyTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unknownPlaceholder(String)
    case placeholderInProgram(String)
    case noDestination

    public var description: String {
        switch self {
        case .empty: "--copy-command is empty"
        case .unknownPlaceholder(let name):
            "unknown placeholder \(name) in --copy-command (known: \(BackupCopyTemplate.placeholders.joined(separator: " ")))"
        case .placeholderInProgram(let word): "the program in --copy-command must be fixed text, not '\(word)'"
        case .noDestination: "--copy-command must name where the file goes with {dest}"
        }
    }
}
