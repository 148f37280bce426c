import Foundation
import ShardtopCore

/// Which log source a node gets, decided in one place so the dashboard and `shardtop logs`
/// agree: the operator's command template wins; else the node's own log file when it is on
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

    /// Asks the node where it logs (CONFIG GET logfile / dir) unless a template makes that moot.
    /// `hostname` is the one the node announces, if any.
    public func choose(for address: NodeAddress, id: String, hostname: String? = nil, client: NodeClient) async -> LogSourceChoice {
        if let template { return command(template, address: address, id: id, hostname: hostname) }
        guard isLocalHost(address.host) else { return decide(address: address, id: id, config: nil) }
        do {
            let replies = try await client.send([["CONFIG", "GET", "logfile"], ["CONFIG", "GET", "dir"]])
            let settings = NodeLogSettings(logfile: Self.configValue(replies[0]), dir: Self.configValue(replies[1]))
            return decide(address: address, id: id, config: .success(settings))
        } catch {
            return decide(address: address, id: id, config: .failure(ConfigGetError(message: sanitizedForDisplay(String(describing: error)))))
        }
    }

    /// The decision alone, from what CONFIG GET said (nil when not asked: the node is remote).
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

    /// CONFIG GET answers [name, value] (RESP2) or a one-entry map (RESP3); an error reply (ACL
    /// denies config|get, or the command is renamed away) is kept as the reason.
    static func configValue(_ reply: RESPValue) -> Result<String, ConfigGetError> {
        if let error = reply.errorMessage { return .failure(ConfigGetError(message: sanitizedForDisplay(error))) }
        if case .map(let pairs) = reply, let value = pairs.first?.value.string { return .success(value) }
        if let items = reply.array, items.count >= 2, let value = items[1].string { return .success(value) }
        return .failure(ConfigGetError(message: "unexpected reply"))
    }
}

/// What CONFIG GET logfile / dir answered: each a value or the server's error.
public struct NodeLogSettings: Sendable {
    public var logfile: Result<String, ConfigGetError>
    public var dir: Result<String, ConfigGetError>
    public init(logfile: Result<String, ConfigGetError>, dir: Result<String, ConfigGetError>) {
        self.logfile = logfile
        self.dir = dir
    }
}

/// The server's answer when CONFIG GET is refused, or why it could not be asked.
public struct ConfigGetError: Error, Sendable, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
}

extension LogSourceChoice {
    /// The source for this choice. `lines` is how much history to show first; with
    /// `follow == false` a command source stops after a second without output.
    public func makeSource(client: NodeClient, lines: Int, follow: Bool, parser: LogLineParser) -> any LogSource {
        switch self {
        case .command(let arguments):
            return CommandLogSource(arguments: arguments, parser: parser, idleTimeout: follow ? nil : .seconds(1))
        case .file(let path):
            return FileTailSource(path: path, lines: lines, follow: follow, parser: parser)
        case .fallback(let reason):
            return FallbackLogSource(client: client, reason: reason, count: min(lines, 128), follow: follow)
        }
    }
}
