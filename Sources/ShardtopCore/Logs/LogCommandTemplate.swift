/// An operator's command for reading a node's log, such as
/// `ssh {host} tail -n 200 -F /var/log/redis/redis-server-{port}.log` or `kubectl logs -f {pod}`.
///
/// Placeholders: {host} and {port} (the node's address), {id} (its node id), {hostname} (the
/// hostname it announces) and {pod} (its pod name: see `NodeLogValues.pod`).
///
/// The template is split into arguments on whitespace BEFORE any placeholder is filled in, and
/// the result runs as an argument list, never through a shell: a host name or node id that
/// contains spaces, quotes or `;` stays inside the one argument it was written into and can
/// never become another argument or shell syntax. (A remote side such as ssh may hand its
/// arguments to a shell again; that is the remote command's contract, not this one.)
public struct LogCommandTemplate: Sendable, Hashable, CustomStringConvertible {
    public static let placeholders = ["{host}", "{port}", "{id}", "{hostname}", "{pod}"]

    /// The arguments as written, placeholders still in them.
    public let arguments: [String]

    public init(parsing text: String) throws(LogCommandTemplateError) {
        do { arguments = try ArgumentTemplate.words(text, placeholders: Self.placeholders) } catch {
            switch error {
            case .empty: throw .empty
            case .placeholderInProgram(let word): throw .placeholderInProgram(word)
            case .unknownPlaceholder(let name): throw .unknownPlaceholder(name)
            }
        }
    }

    /// The argument list for one node (see ArgumentTemplate for the rules). Throws when the
    /// template uses a value this node does not have (a {pod} with no pod name).
    public func expand(_ node: NodeLogValues) throws(LogCommandTemplateError) -> [String] {
        var values = ["{host}": node.host, "{port}": String(node.port), "{id}": node.id]
        if let hostname = node.hostname { values["{hostname}"] = hostname }
        if let pod = node.pod { values["{pod}"] = pod }
        do {
            return try arguments.map { (word) throws(ArgumentTemplate.MissingValue) -> String in
                try ArgumentTemplate.fill(word, values: values, placeholders: Self.placeholders)
            }
        } catch {
            throw .noValue(placeholder: error.placeholder, node: "\(node.host):\(node.port)")
        }
    }

    public var description: String { arguments.joined(separator: " ") }
}

public enum LogCommandTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unknownPlaceholder(String)
    /// The program itself must be fixed text: choosing the program from a node's address would
    /// let whoever controls the cluster's gossip choose what shardtop runs.
    case placeholderInProgram(String)
    /// The template uses {pod} or {hostname} and this node has none.
    case noValue(placeholder: String, node: String)

    public var description: String {
        switch self {
        case .empty: "log-command is empty"
        case .unknownPlaceholder(let name): "unknown placeholder \(name) in log-command (known: \(LogCommandTemplate.placeholders.joined(separator: " ")))"
        case .placeholderInProgram(let word): "the program in log-command must be fixed text, not '\(word)'"
        case .noValue(let placeholder, let node):
            placeholder == "{pod}"
                ? "log-command uses {pod}, but no pod name is known for \(node): map it under 'pods:' in the config, or have the node announce its hostname (cluster-announce-hostname)"
                : "log-command uses \(placeholder), but \(node) announces no hostname (cluster-announce-hostname)"
        }
    }
}
