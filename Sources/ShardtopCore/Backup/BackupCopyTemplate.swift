/// `--copy-command`: how to fetch a shard's RDB file from a node on another host, such as
/// `scp {host}:{path} {dest}` or `kubectl cp {pod}:{path} {dest}`-style commands.
///
/// The rules of every command template (ArgumentTemplate): the template is split into arguments on whitespace BEFORE
/// any placeholder is filled, and runs as an argument list, never through a shell, so a path or
/// host cannot become extra arguments or shell syntax; the program must be fixed text.
/// Placeholders: {host}, {port}, {id} (the saving node), {path} (the file on that host, from
/// CONFIG GET dir + dbfilename), {dest} (where the file goes in the backup directory).
public struct BackupCopyTemplate: Sendable, Hashable, CustomStringConvertible {
    public static let placeholders = ["{host}", "{port}", "{id}", "{path}", "{dest}"]

    public let arguments: [String]

    public init(parsing text: String) throws(BackupCopyTemplateError) {
        let words: [String]
        do { words = try ArgumentTemplate.words(text, placeholders: Self.placeholders) } catch {
            switch error {
            case .empty: throw .empty
            case .placeholderInProgram(let word): throw .placeholderInProgram(word)
            case .unknownPlaceholder(let name): throw .unknownPlaceholder(name)
            }
        }
        guard words.contains(where: { $0.contains("{dest}") }) else { throw .noDestination }
        arguments = words
    }

    /// The argument list for one file (every placeholder has a value here).
    public func expand(host: String, port: Int, id: String, path: String, dest: String) -> [String] {
        let values = ["{host}": host, "{port}": String(port), "{id}": id, "{path}": path, "{dest}": dest]
        return arguments.map { (try? ArgumentTemplate.fill($0, values: values, placeholders: Self.placeholders)) ?? $0 }
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
