import Foundation
import Yams

/// The config file: `$XDG_CONFIG_HOME/shardtop/config.yaml` (default `~/.config/shardtop/config.yaml`).
///
///     clusters:
///       prod:
///         seeds: [10.0.0.5:6379, 10.0.0.6:6379]
///         user: ops
///         password-file: ~/.config/shardtop/prod.password
///         log-command: ssh {host} tail -n 200 -F /var/log/redis/redis-server-{port}.log
///         pods: { 10.0.0.5:6379: redis-0 }      # for a log-command with {pod}
///         theme: dark
///         interval: 2
///
/// Strict like theme files: an unknown key is an error naming file and line, because a misspelt
/// `pasword-file` silently ignored would send the operator hunting in the wrong place.
public struct ConfigFile: Sendable, Equatable {
    public static let topLevelKeys = ["clusters"]
    public static let clusterKeys = ["seeds", "user", "password-file", "tls", "log-command", "pods", "theme", "interval"]

    public var path: String
    public var clusters: [ClusterContext]
    /// The line of `clusters:`, for "no such context" errors.
    public var clustersLine: Int?

    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return "\(xdg)/shardtop/config.yaml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.config/shardtop/config.yaml"
    }

    /// Reads and checks the file at `path`.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the config file" : "no such config file"
            throw ConfigError(file: path, message: reason)
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, environment: environment)
    }

    public static func parse(_ text: String, path: String, environment: [String: String] = [:]) throws(ConfigError) -> ConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, file: path)
        } catch {
            throw ConfigError(file: path, message: "not valid YAML: \(error)")
        }
        guard let root else { return ConfigFile(path: path, clusters: [], clustersLine: nil) }
        return try ConfigReader(file: path, environment: environment).read(root)
    }

    /// The named context, or an error naming the file, the line of `clusters:` and the names there are.
    public func context(named name: String) throws(ConfigError) -> ClusterContext {
        if let found = clusters.first(where: { $0.name == name }) { return found }
        let known = clusters.map(\.name)
        let list = known.isEmpty ? "the file defines no clusters" : "known: \(known.joined(separator: ", "))"
        throw ConfigError(file: path, line: clustersLine, message: "no cluster named '\(name)' (\(list))")
    }

    static func yamlError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ConfigError(file: file, line: mark.line, message: "not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ConfigError(file: file, line: context.mark.line, message: "duplicate key \(keys): each key may appear once")
        default:
            return ConfigError(file: file, message: "not valid YAML: \(error)")
        }
    }
}
