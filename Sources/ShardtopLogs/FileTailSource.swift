import Foundation
import ShardtopCore
#if canImport(Glibc)
import Glibc
#endif

/// A node's log file on this host: the last `lines` lines, then (when following) new lines as
/// they are written, surviving truncation and rotation.
public struct FileTailSource: LogSource {
    public let path: String
    public let lines: Int
    public let follow: Bool
    public let parser: LogLineParser
    public let pollInterval: Duration

    public init(path: String, lines: Int = 200, follow: Bool = true, parser: LogLineParser = LogLineParser(),
                pollInterval: Duration = .milliseconds(200)) {
        self.path = path
        self.lines = lines
        self.follow = follow
        self.parser = parser
        self.pollInterval = pollInterval
    }

    public var label: String { "file \(path)" }

    public func batches() -> AsyncStream<LogBatch> {
        stream { continuation in await run(continuation) }
    }

    private func run(_ continuation: AsyncStream<LogBatch>.Continuation) async {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            continuation.yield(LogBatch(lines: [], status: .unavailable(reason: "cannot open \(path): \(String(cString: strerror(errno)))")))
            return
        }
        var info = stat()
        fstat(fd, &info)
        let tail = FileTail.read(fd: fd, size: Int(info.st_size), count: lines)
        var first = tail.lines.map(decode)
        if !follow {
            // Not following, an unfinished last line is as final as it gets: show it, as tail does.
            if !tail.partial.isEmpty {
                first.append(decode(tail.partial))
                if first.count > lines { first.removeFirst() }
            }
            close(fd)
            continuation.yield(LogBatch(lines: first, status: .complete))
            return
        }
        continuation.yield(LogBatch(lines: first, status: .following))
        let follower = FileFollower(path: path, fd: fd, inode: info.st_ino, offset: Int(info.st_size), pending: tail.partial)
        // Polled with every other file at this interval by one shared timer (FileTailTicker).
        let parser = self.parser
        await FileTailTicker.shared(interval: pollInterval).follow(follower) { fresh in
            continuation.yield(LogBatch(lines: fresh.map { Self.decode($0, parser) }, status: .following))
        }
    }

    private func decode(_ bytes: [UInt8]) -> LogLine { Self.decode(bytes, parser) }

    private static func decode(_ bytes: [UInt8], _ parser: LogLineParser) -> LogLine {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return parser.parse(text)
    }
}
