import Foundation
import ShardtopCore
import Yams

/// One pass over the composed YAML tree; every error carries the node's line.
struct ConfigReader {
    let file: String
    let environment: [String: String]

    func fail(_ node: Node?, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node?.mark?.line, message: message)
    }

    func read(_ root: Node) throws(ConfigError) -> ConfigFile {
        guard case let .mapping(top) = root else { throw fail(root, "the config file is a mapping with a 'clusters:' key") }
        var clusters: [ClusterContext] = []
        var clustersLine: Int?
        for (keyNode, value) in top {
            let key = try scalar(keyNode, what: "a key")
            guard key == "clusters" else {
                throw fail(keyNode, "unknown key '\(key)' (known keys: \(ConfigFile.topLevelKeys.joined(separator: ", ")))")
            }
            clustersLine = keyNode.mark?.line
            if case .scalar(let empty) = value, empty.string.isEmpty || empty.string == "~" { continue }
            guard case let .mapping(entries) = value else { throw fail(value, "'clusters' maps names to clusters, e.g. clusters: { prod: { seeds: [host:6379] } }") }
            for (nameNode, body) in entries {
                clusters.append(try cluster(name: try scalar(nameNode, what: "a cluster name"), nameNode: nameNode, body))
            }
        }
        return ConfigFile(path: file, clusters: clusters, clustersLine: clustersLine)
    }

    private func cluster(name: String, nameNode: Node, _ body: Node) throws(ConfigError) -> ClusterContext {
        var context = ClusterContext(name: name, line: nameNode.mark?.line)
        guard case let .mapping(fields) = body else { throw fail(body, "cluster '\(name)' must be a mapping of \(ConfigFile.clusterKeys.joined(separator: ", "))") }
        for (keyNode, value) in fields {
            let key = try scalar(keyNode, what: "a key")
            switch key {
            case "seeds":
                switch value {
                case .sequence(let items):
                    context.seeds = try items.map { (item) throws(ConfigError) -> String in try scalar(item, what: "a seed (host:port)") }
                case .scalar:
                    context.seeds = [try scalar(value, what: "a seed")]
                default:
                    throw fail(value, "'seeds' is a list of host:port, e.g. [10.0.0.5:6379]")
                }
                if context.seeds.isEmpty { throw fail(value, "'seeds' is empty") }
            case "user": context.user = try scalar(value, what: "'user'")
            case "password-file": context.passwordFile = resolve(try scalar(value, what: "'password-file'"))
            case "log-command": context.logCommand = try scalar(value, what: "'log-command'")
            case "pods":
                guard case let .mapping(entries) = value else {
                    throw fail(value, "'pods' maps a node (host:port or node id) to its pod name, e.g. pods: { 10.0.0.5:6379: redis-0 }")
                }
                for (nodeKey, pod) in entries {
                    context.pods[try scalar(nodeKey, what: "a node (host:port or node id)")] = try scalar(pod, what: "a pod name")
                }
            case "tls": context.tls = try tls(value, cluster: name)
            case "theme": context.theme = try scalar(value, what: "'theme'")
            case "interval":
                let text = try scalar(value, what: "'interval'")
                guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                    throw fail(value, "'interval' is seconds between polls, a number above 0 (got '\(text)')")
                }
                context.interval = seconds
            default:
                throw fail(keyNode, "unknown key '\(key)' in cluster '\(name)' (known keys: \(ConfigFile.clusterKeys.joined(separator: ", ")))")
            }
        }
        return context
    }

    static let tlsKeys = ["cacert", "cacert-dir", "cert", "key", "server-name", "insecure"]

    /// `tls: true` (system CAs), or a mapping of the TLS fields.
    private func tls(_ value: Node, cluster name: String) throws(ConfigError) -> TLSSettings? {
        if case .scalar(let flag) = value {
            switch flag.string.lowercased() {
            case "true", "yes", "on": return TLSSettings()
            case "false", "no", "off": return nil
            default: throw fail(value, "'tls' is true, false, or a mapping of \(Self.tlsKeys.joined(separator: ", "))")
            }
        }
        guard case let .mapping(fields) = value else {
            throw fail(value, "'tls' is true, false, or a mapping of \(Self.tlsKeys.joined(separator: ", "))")
        }
        var tls = TLSSettings()
        for (keyNode, field) in fields {
            let key = try scalar(keyNode, what: "a key")
            switch key {
            case "cacert": tls.caFile = resolve(try scalar(field, what: "'cacert'"))
            case "cacert-dir": tls.caDirectory = resolve(try scalar(field, what: "'cacert-dir'"))
            case "cert": tls.certificateFile = resolve(try scalar(field, what: "'cert'"))
            case "key": tls.keyFile = resolve(try scalar(field, what: "'key'"))
            case "server-name": tls.serverName = try scalar(field, what: "'server-name'")
            case "insecure":
                let text = try scalar(field, what: "'insecure'").lowercased()
                guard ["true", "false", "yes", "no"].contains(text) else { throw fail(field, "'insecure' is true or false") }
                tls.insecure = text == "true" || text == "yes"
            default:
                throw fail(keyNode, "unknown key '\(key)' in the tls of cluster '\(name)' (known keys: \(Self.tlsKeys.joined(separator: ", ")))")
            }
        }
        return tls
    }

    private func scalar(_ node: Node, what: String) throws(ConfigError) -> String {
        guard case let .scalar(value) = node else { throw fail(node, "expected \(what), a single value") }
        return value.string
    }

    /// `~/x` is under HOME; a relative path is next to the config file, so a file copied with its
    /// password file keeps working wherever shardtop is started from.
    private func resolve(_ path: String) -> String {
        if path.hasPrefix("~/") { return (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst(1) }
        if path.hasPrefix("/") { return path }
        return ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
    }
}
