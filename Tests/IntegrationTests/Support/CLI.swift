import Foundation

/// Runs the real `shardtop` binary, as an operator or a script would.
enum CLI {
    struct Result {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// The binary SwiftPM built next to the test bundle.
    static var binaryPath: String { builtBinary("shardtop") }

    /// The benchmarks' own executable, built beside shardtop.
    static var benchBinaryPath: String { builtBinary("shardtop-bench") }

    static func builtBinary(_ name: String) -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/\(name)").path
    }

    /// The same, waiting on a Dispatch thread: Swift's cooperative pool has one thread per core
    /// (2 here), and a test blocked on a child for seconds would starve every other running test.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeoutSeconds: Double = 30,
                    program: String = binaryPath) async throws -> Result {
        try await offPool { try run(blocking: arguments, environment: environment, timeoutSeconds: timeoutSeconds, program: program) }
    }

    static func run(blocking arguments: [String], environment: [String: String] = [:], timeoutSeconds: Double = 30,
                    program: String = binaryPath) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read while it runs so a large output cannot fill the pipe and stall the child.
        let outData = LockedData()
        let errData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        group.wait()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outData.get(), as: UTF8.self),
            errorOutput: String(decoding: errData.get(), as: UTF8.self)
        )
    }
}

final class LockedData: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}

/// Runs blocking work (waiting for a child process) on a Dispatch thread instead of a thread of
/// the cooperative pool, which every async test shares.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
    }
}
