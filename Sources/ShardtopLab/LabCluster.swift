import Foundation
import NIOCore
import NIOPosix
import ShardtopCore
import ShardtopProcess
import ShardtopRedis
#if canImport(Glibc)
import Glibc
#endif

/// A real local cluster of redis-server or valkey-server processes on free loopback ports,
/// in its own temporary directory, built by shardtop itself (ADDSLOTSRANGE, MEET, REPLICATE).
/// It stops exactly the processes it started, by pid.
public final class LabCluster: @unchecked Sendable {
    public struct Options: Sendable {
        public var serverPath: String
        public var primaries: Int
        public var replicasPerPrimary: Int
        /// cluster-node-timeout. Lower than the server default (15 s) so rehearsed failures resolve quickly.
        public var nodeTimeoutMillis: Int
        public var keepDirectory: Bool
        public var extraArguments: [String]
        /// TLS only: the lab makes its own CA and certificates, and its nodes listen on TLS ports alone.
        public var tls: Bool
        /// With `tls`: each node also listens on a plaintext port (`Node.plaintextPort`), as clusters
        /// migrating to TLS do. The cluster bus and replication stay TLS.
        public var plaintextToo: Bool
        /// A restore drill (`lab --restore`): one primary per entry, each starting from that RDB
        /// file and claiming exactly those slots, instead of an even split. Empty for a fresh lab.
        public var restore: [LabRestoreShard] = []

        public init(serverPath: String, primaries: Int = 3, replicasPerPrimary: Int = 1, nodeTimeoutMillis: Int = 5000,
                    keepDirectory: Bool = false, extraArguments: [String] = [], tls: Bool = false, plaintextToo: Bool = false) {
            self.tls = tls
            self.plaintextToo = plaintextToo
            self.serverPath = serverPath
            self.primaries = primaries
            self.replicasPerPrimary = replicasPerPrimary
            self.nodeTimeoutMillis = nodeTimeoutMillis
            self.keepDirectory = keepDirectory
            self.extraArguments = extraArguments
        }
    }

    public struct Node: Sendable {
        /// The port clients use: the TLS port in a TLS lab.
        public let address: NodeAddress
        public let busPort: Int
        /// A TLS lab's extra plaintext port (`Options.plaintextToo`).
        public let plaintextPort: Int?
        public let directory: String
        public let logPath: String
        public let pid: Int32
        /// Filled once the cluster forms.
        public internal(set) var id: String
        public internal(set) var isPrimary: Bool
    }

    public let options: Options
    public let directory: String
    /// The lab's certificates when it runs TLS.
    public let tls: LabTLS?
    /// How to connect to this lab (TLS settings included); callers change timeouts on a copy.
    public let connectionOptions: ConnectionOptions
    public private(set) var nodes: [Node] = []
    private var processes: [Int32: ChildProcess] = [:]
    private let lock = NSLock()
    private var stopped = false
    /// Stops the servers if this process dies without stopping them (see `OrphanWatchdog`).
    let watchdog = OrphanWatchdog.start()

    private init(options: Options, directory: String) throws {
        self.options = options
        self.directory = directory
        if options.tls {
            let tls = try LabTLS.make(in: directory)
            self.tls = tls
            self.connectionOptions = ConnectionOptions(tls: try TLSClient(tls.settings))
        } else {
            self.tls = nil
            self.connectionOptions = ConnectionOptions()
        }
    }

    public var seed: NodeAddress { nodes[0].address }
    public var addresses: [NodeAddress] { nodes.map(\.address) }

    /// Starts the processes and forms the cluster. On any failure it stops what it started and throws.
    public static func start(_ options: Options, progress: @Sendable (String) -> Void = { _ in }) async throws -> LabCluster {
        guard options.primaries >= 1, options.primaries <= LabSize.maxPrimaries else {
            throw LabError.badOption("--primaries must be between 1 and \(LabSize.maxPrimaries)")
        }
        guard options.replicasPerPrimary >= 0, options.replicasPerPrimary <= 5 else { throw LabError.badOption("--replicas must be between 0 and 5") }
        let size = LabSize(nodes: options.primaries * (1 + options.replicasPerPrimary))
        if let problem = size.problem { throw LabError.badOption(problem) }
        guard FileManager.default.isExecutableFile(atPath: options.serverPath) else { throw LabError.serverNotExecutable(options.serverPath) }
        try size.ensureOpenFiles()
        // A port found free can be taken by someone else before the server binds it (another lab
        // starting at the same moment, an outgoing connection's ephemeral port): then start over
        // with fresh ports rather than fail.
        var attempt = 1
        while true {
            let directory = try makeTemporaryDirectory()
            let lab: LabCluster
            do {
                lab = try LabCluster(options: options, directory: directory)
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw LabError.badOption("cannot make the lab's TLS certificates: \(error)")
            }
            do {
                let count = options.primaries * (1 + options.replicasPerPrimary)
                progress("starting \(count) nodes of \(URL(fileURLWithPath: options.serverPath).lastPathComponent) in \(directory)")
                let started = ContinuousClock.now
                try lab.launch(count: count)
                try await lab.waitUntilAnswering()
                if count > LabClusterBuilder.bigLab { progress("  all \(count) answering after \(Self.seconds(since: started))") }
                if !options.restore.isEmpty {
                    progress("loading \(options.restore.count) RDB files")
                    try await lab.waitUntilLoaded()
                }
                progress("forming the cluster: \(options.primaries) primaries, \(options.replicasPerPrimary) replica(s) each")
                try await LabClusterBuilder(lab: lab).form(progress: progress)
                if count > LabClusterBuilder.bigLab { progress("the lab of \(count) nodes formed in \(Self.seconds(since: started))") }
                return lab
            } catch LabError.nodeDidNotStart(_, let detail) where options.tls && Self.lacksTLS(detail) {
                lab.stop()
                throw LabError.serverLacksTLS(options.serverPath)
            } catch LabError.nodeDidNotStart(let port, let detail) where attempt < 3 && Self.isPortClash(detail) {
                lab.stop()
                progress("port \(port) was taken before the server could bind it; retrying with other ports")
                attempt += 1
            } catch let error as RedisClientError where attempt < 3 && !Self.isSlowReply(error) {
                // A connection reset while forming: most likely a port clash the bind check missed
                // (another process took the port between the pick and the bind). Fresh ports, once more.
                lab.stop()
                progress("forming the cluster failed (\(error)); retrying with other ports")
                attempt += 1
            } catch {
                lab.stop()
                throw error
            }
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        return String(format: "%.1f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// A reply that came late is a busy machine, not a port clash: starting over with fresh ports
    /// (hundreds of servers again) would only add to the load that made it late.
    static func isSlowReply(_ error: RedisClientError) -> Bool {
        if case .timedOut = error { return true }
        return false
    }

    static func lacksTLS(_ detail: String) -> Bool {
        detail.contains("TLS support") || detail.contains("connection type tls") || detail.contains("BUILD_TLS")
    }

    static func isPortClash(_ detail: String) -> Bool {
        detail.contains("Failed listening on port") || detail.contains("Address already in use")
    }

    // MARK: - Processes

    private func launch(count: Int) throws {
        let dual = options.tls && options.plaintextToo
        let perNode = dual ? 3 : 2
        let ports: [Int]
        do { ports = try FreePort.pick(count: count * perNode) } catch { throw LabError.noFreePort(error.detail) }
        for index in 0..<count {
            let port = ports[index * perNode]
            let busPort = ports[index * perNode + 1]
            let plaintextPort = dual ? ports[index * perNode + 2] : nil
            let nodeDirectory = "\(directory)/node-\(port)"
            try FileManager.default.createDirectory(atPath: nodeDirectory, withIntermediateDirectories: true)
            let logPath = "\(nodeDirectory)/server.log"
            // A restored node loads its shard's file at start, as its dbfilename (the default, dump.rdb).
            if index < options.restore.count {
                try LabRestoreShard.place(options.restore[index], in: nodeDirectory)
            }
            // Startup errors (bad option, port in use) print to stdout before the log file opens.
            let listen = tls?.serverArguments(port: port, plaintextPort: plaintextPort) ?? ["--port", "\(port)"]
            let arguments = listen + [
                "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                "--cluster-port", "\(busPort)", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "\(options.nodeTimeoutMillis)",
                "--dir", nodeDirectory, "--logfile", logPath, "--daemonize", "no",
                "--save", "", "--appendonly", "no", "--loglevel", "notice",
                // The server waits 5 s by default before a diskless first sync, hoping to batch replicas;
                // in a lab that is just 5 s of waiting.
                "--repl-diskless-sync-delay", "0",
                // On SIGTERM a 7.0+ server waits up to 10 s for lagging replicas; lab data is disposable.
                // (ADDSLOTSRANGE already requires 7.0, so this option is always known.)
                "--shutdown-on-sigterm", "nosave", "now",
            ] + options.extraArguments
            let process: ChildProcess
            do {
                process = try ChildProcess.spawn(path: options.serverPath, arguments: arguments, outputPath: "\(nodeDirectory)/stdout.log")
            } catch {
                throw LabError.nodeDidNotStart(port: port, detail: error.description)
            }
            watchdog?.watch(process.pid)
            lock.withLock {
                processes[process.pid] = process
                nodes.append(Node(
                    address: NodeAddress(host: "127.0.0.1", port: port), busPort: busPort, plaintextPort: plaintextPort,
                    directory: nodeDirectory, logPath: logPath, pid: process.pid, id: "", isPrimary: false
                ))
            }
        }
    }

    private func waitUntilAnswering() async throws {
        // Give up only after 15 s AND enough real attempts: on a starved machine (tests hogging the
        // cooperative threads) wall time passes without this task getting to try.
        // Hundreds of servers starting at once share the cores: allow more time for more of them.
        let patience = max(15, nodes.count / 10)
        let deadline = ContinuousClock.now + .seconds(patience)
        var probeOptions = connectionOptions
        probeOptions.connectTimeout = .milliseconds(500)
        for node in nodes {
            var attempts = 0
            while true {
                if lock.withLock({ processes[node.pid] })?.hasExited() ?? true {
                    throw LabError.nodeDidNotStart(port: node.address.port, detail: startupError(node))
                }
                attempts += 1
                if let connection = try? await RedisConnection.connect(to: node.address, options: probeOptions) {
                    connection.close()
                    break
                }
                if ContinuousClock.now > deadline && attempts >= 100 {
                    throw LabError.nodeDidNotStart(port: node.address.port, detail: "no answer within \(patience) s; see \(node.logPath)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private func startupError(_ node: Node) -> String {
        for path in ["\(node.directory)/stdout.log", node.logPath] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let line = text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return sanitizedForDisplay(String(line))
            }
        }
        return "the process exited"
    }

    func record(id: String, isPrimary: Bool, at index: Int) {
        lock.withLock {
            nodes[index].id = id
            nodes[index].isPrimary = isPrimary
        }
    }

    // MARK: - Rehearsing failures (only ever on processes this lab started)

    public func node(at address: NodeAddress) -> Node? { nodes.first { $0.address == address } }

    /// SIGSTOP: the node keeps its TCP port open but never answers, like a hung host.
    public func pause(_ address: NodeAddress) { signal(SIGSTOP, to: address) }
    public func resume(_ address: NodeAddress) { signal(SIGCONT, to: address) }
    public func kill(_ address: NodeAddress) { signal(SIGKILL, to: address) }

    private func signal(_ signal: Int32, to address: NodeAddress) {
        guard let node = node(at: address), let process = lock.withLock({ processes[node.pid] }) else { return }
        process.send(signal)
        // Nothing is left for the watchdog to stop (and the pid is free once reaped).
        if signal == SIGKILL { watchdog?.forget(process.pid) }
    }

    /// Stops every process this lab started (resuming paused ones first so they can exit),
    /// waits for them, and removes the directory unless asked to keep it. Safe to call twice.
    public func stop() {
        let owned: [ChildProcess] = lock.withLock {
            if stopped { return [] }
            stopped = true
            return Array(processes.values)
        }
        for process in owned {
            process.send(SIGCONT)
            process.send(SIGTERM)
        }
        // Every server has its TERM: from here the lab finishes the stop itself.
        watchdog?.release()
        let deadline = Date().addingTimeInterval(5)
        for process in owned {
            while !process.hasExited() && Date() < deadline { usleep(5_000) }
            if !process.hasExited() {
                process.send(SIGKILL)
                while !process.hasExited() { usleep(5_000) }
            }
        }
        if !options.keepDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    deinit { stop() }

    private static func makeTemporaryDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/shardtop-lab-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw LabError.badOption("cannot create a temporary directory under \(base)") }
        return String(cString: made)
    }
}
