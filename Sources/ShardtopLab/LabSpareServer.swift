import Foundation
import ShardtopCore
import ShardtopProcess
import ShardtopRedis
#if canImport(Glibc)
import Glibc
#endif

/// One more server for a lab, started alone and joined to nothing: what `add-node` and `replace`
/// take in (and what their tests and the dashboard's lab key start). Same options as the lab's own
/// nodes, in a directory of its own; it stops exactly the process it started, by pid.
public final class LabSpareServer: @unchecked Sendable {
    public let address: NodeAddress
    public let busPort: Int
    public let directory: String
    public let logPath: String
    public var pid: Int32 { process.pid }
    private let process: ChildProcess
    /// The lab's: it stops this server too if the process dies without stopping it.
    private let watchdog: OrphanWatchdog?
    private let lock = NSLock()
    private var stopped = false

    private init(address: NodeAddress, busPort: Int, directory: String, logPath: String, process: ChildProcess, watchdog: OrphanWatchdog?) {
        self.address = address
        self.busPort = busPort
        self.directory = directory
        self.logPath = logPath
        self.process = process
        self.watchdog = watchdog
        watchdog?.watch(process.pid)
    }

    /// Starts a blank cluster-enabled server like `lab`'s nodes (its TLS, node timeout and extra
    /// arguments), and waits until it answers. `clusterEnabled: false` makes one that must be refused.
    public static func start(like lab: LabCluster, clusterEnabled: Bool = true, extraArguments: [String] = []) async throws -> LabSpareServer {
        let options = lab.options
        var attempt = 1
        while true {
            let ports = try FreePort.pick(count: 2)
            let (port, busPort) = (ports[0], ports[1])
            let directory = "\(lab.directory)/spare-\(port)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let logPath = "\(directory)/server.log"
            let listen = lab.tls?.serverArguments(port: port, plaintextPort: nil) ?? ["--port", "\(port)"]
            let arguments = listen + [
                "--bind", "127.0.0.1", "--cluster-enabled", clusterEnabled ? "yes" : "no",
                "--cluster-port", "\(busPort)", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "\(options.nodeTimeoutMillis)",
                "--dir", directory, "--logfile", logPath, "--daemonize", "no",
                "--save", "", "--appendonly", "no", "--loglevel", "notice",
                "--repl-diskless-sync-delay", "0", "--shutdown-on-sigterm", "nosave", "now",
            ] + options.extraArguments + extraArguments
            let process = try ChildProcess.spawn(path: options.serverPath, arguments: arguments, outputPath: "\(directory)/stdout.log")
            let spare = LabSpareServer(address: NodeAddress(host: "127.0.0.1", port: port), busPort: busPort, directory: directory,
                                       logPath: logPath, process: process, watchdog: lab.watchdog)
            do {
                try await spare.waitUntilAnswering(options: lab.connectionOptions)
                return spare
            } catch LabError.nodeDidNotStart where attempt < 3 {
                spare.stop()
                attempt += 1
            }
        }
    }

    private func waitUntilAnswering(options: ConnectionOptions) async throws {
        var probe = options
        probe.connectTimeout = .milliseconds(500)
        let deadline = ContinuousClock.now + .seconds(15)
        var attempts = 0
        while true {
            if process.hasExited() {
                let detail = (try? String(contentsOfFile: "\(directory)/stdout.log", encoding: .utf8))?
                    .split(separator: "\n").last.map { sanitizedForDisplay(String($0)) } ?? "the process exited"
                throw LabError.nodeDidNotStart(port: address.port, detail: detail)
            }
            attempts += 1
            if let connection = try? await RedisConnection.connect(to: address, options: probe) {
                connection.close()
                return
            }
            if ContinuousClock.now > deadline && attempts >= 100 {
                throw LabError.nodeDidNotStart(port: address.port, detail: "no answer within 15 s; see \(logPath)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    public func kill() {
        process.send(SIGKILL)
        watchdog?.forget(process.pid)
    }
    public func pause() { process.send(SIGSTOP) }
    public func resume() { process.send(SIGCONT) }

    /// Stops the process (resuming it first if paused) and waits for it. Safe to call twice.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        process.send(SIGCONT)
        process.send(SIGTERM)
        // It has its TERM; the rest of the stop is ours (and its pid is free once reaped).
        watchdog?.forget(process.pid)
        let deadline = Date().addingTimeInterval(5)
        while !process.hasExited() && Date() < deadline { usleep(5_000) }
        if !process.hasExited() {
            process.send(SIGKILL)
            while !process.hasExited() { usleep(5_000) }
        }
    }

    deinit { stop() }
}
