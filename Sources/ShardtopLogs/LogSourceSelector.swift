import Foundation
import ShardtopCore

/// Which log source a node gets, decided in one place so the dashboard and `shardtop logs`
/// agree (asking the node itself is the app's part, since that needs the connector): the operator's command template wins; else the node's own log file when it is on
/// this host and readable; else the RESP fallback, with the reason.
public enum LogSourceChoice: Sendable, Equatable {
    case command(arguments: [String])
    case file(path: String)
    case fallback(reason: String)
}

public struct LogSourceSelector: Sendable {
    public var template: LogCommandTemplate?
    /// The context's `pods:` map (address or node id to pod name), for {pod}.
    public var pods: [String: String]
    public var isLocalHost: @Sendable (String) -> Bool
    public var isReadable: @Sendable (String) -> Bool

    public init(template: LogCommandTemplate?, pods: [String: String] = [:],
                isLocalHost: @escaping @Sendable (String) -> Bool = LocalHost.contains,
                isReadable: @escaping @Sendable (String) -> Bool = { FileManager.default.isReadableFile(atPath: $0) }) {
        self.template = template
        self.pods = pods
        self.isLocalHost = isLocalHost
        self.isReadable = isReadable
    }

    /// Whether the node must be asked where it logs (CONFIG GET logfile / dir): not when a
    /// template decides, and not when the node is on another host, where its file is out of reach.
    public func needsNodeSettings(for address: NodeAddress) -> Bool { template == nil && isLocalHost(address.host) }

    /// The decision, from what CONFIG GET said (nil when not asked: the node is remote).
    /// Each value is the setting, or the server's error text.
    public func decide(address: NodeAddress, id: String, hostname: String? = nil,
                       config: Result<NodeLogSettings, ConfigGetError>?) -> LogSourceChoice {
        if let template { return command(template, address: address, id: id, hostname: hostname) }
        guard isLocalHost(address.host), let config else {
            return .fallback(reason: "node is on another host; set log-command in the config")
        }
        let settings: NodeLogSettings
        switch config {
        case .failure(let error): return .fallback(reason: "cannot ask the node where it logs: \(error.message)")
        case .success(let value): settings = value
        }
        let logfile: String
        switch settings.logfile {
        case .failure(let error): return .fallback(reason: "CONFIG GET logfile failed: \(error.message)")
        case .success(let value): logfile = value
        }
        if logfile.isEmpty { return .fallback(reason: "logfile is empty: the node logs to stdout") }
        var path = logfile
        if !logfile.hasPrefix("/") {
            // A relative logfile is opened by the server after it chdir()s to `dir`.
            guard case .success(let dir) = settings.dir, !dir.isEmpty else {
                return .fallback(reason: "logfile \(logfile) is relative and CONFIG GET dir did not answer")
            }
            path = (dir as NSString).appendingPathComponent(logfile)
        }
        guard isReadable(path) else { return .fallback(reason: "log file \(path) is not readable by this user") }
        return .file(path: path)
    }

    /// The template filled in for this node; a node lacking a value it names (no pod name for
    /// {pod}) gets the fallback, with the reason, rather than a command aimed at the wrong pod.
    private func command(_ template: LogCommandTemplate, address: NodeAddress, id: String, hostname: String?) -> LogSourceChoice {
        let pod = NodeLogValues.pod(address: address, id: id, hostname: hostname, map: pods)
        do {
            return .command(arguments: try template.expand(NodeLogValues(host: address.host, port: address.port, id: id, hostname: hostname, pod: pod)))
        } catch {
            return .fallback(reason: error.description)
        }
    }
}

