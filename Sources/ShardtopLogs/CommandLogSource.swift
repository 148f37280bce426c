import Foundation
import ShardtopCore
#if canImport(Glibc)
import Glibc
#endif

/// A node's log read from a command the operator configured (ssh ... tail -F, journalctl -f,
/// kubectl logs -f), already expanded from a `LogCommandTemplate` into an argument list.
///
/// The command is started with posix_spawnp (never a shell), with an empty signal mask and its
/// own process group; its stdout and stderr share one pipe read without blocking, so an error
/// the command prints ("ssh: connect to host ...") shows up among the lines where the operator
/// looks. When it exits the last batch says so and the stream ends; `batches()` starts it again.
/// Stopping kills only this child, by pid.
public struct CommandLogSource: LogSource {
    public let arguments: [String]
    public let parser: LogLineParser
    /// When set, the source stops the command after this long without output and reports
    /// `.complete`: how a one-shot `shardtop logs` reads a command that would follow forever.
    public let idleTimeout: Duration?

    public init(arguments: [String], parser: LogLineParser = LogLineParser(), idleTimeout: Duration? = nil) {
        self.arguments = arguments
        self.parser = parser
        self.idleTimeout = idleTimeout
    }

    public var label: String { "command \(arguments.joined(separator: " "))" }

    public func batches() -> AsyncStream<LogBatch> {
        stream { continuation in await run(continuation) }
    }

    private func run(_ continuation: AsyncStream<LogBatch>.Continuation) async {
        let child: LogCommandProcess
        do {
            child = try LogCommandProcess.start(arguments)
        } catch {
            continuation.yield(LogBatch(lines: [], status: .unavailable(reason: error.description)))
            return
        }
        defer { child.stop() }
        var pending: [UInt8] = []
        var lastOutput = ContinuousClock.now
        continuation.yield(LogBatch(lines: [], status: .following))
        while !Task.isCancelled {
            let chunk = child.readAvailable()
            var lines: [LogLine] = []
            if let bytes = chunk.bytes, !bytes.isEmpty {
                lastOutput = .now
                var start = 0
                for index in bytes.indices where bytes[index] == 0x0A {
                    lines.append(decode(pending + bytes[start..<index]))
                    pending = []
                    start = index + 1
                }
                pending += bytes[start...]
                if pending.count > FileFollower.maxLineLength {
                    lines.append(decode(pending))
                    pending = []
                }
            }
            if chunk.endOfOutput {
                if !pending.isEmpty { lines.append(decode(pending)) }
                let status = await child.waitForExit()
                continuation.yield(LogBatch(lines: lines, status: .exited(status: status)))
                return
            }
            if !lines.isEmpty { continuation.yield(LogBatch(lines: lines, status: .following)) }
            if let idleTimeout, ContinuousClock.now - lastOutput > idleTimeout {
                if !pending.isEmpty { continuation.yield(LogBatch(lines: [decode(pending)], status: .following)) }
                continuation.yield(LogBatch(lines: [], status: .complete))
                return
            }
            if chunk.bytes == nil { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    private func decode<C: Collection<UInt8>>(_ bytes: C) -> LogLine {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return parser.parse(text)
    }
}
