import CompressNIO
import Foundation
import NIOCore
import ShardtopCore

/// Appends a session's snapshots and events to a file as compact JSON lines: a header line, then
/// one RecordedTick per poll. A name ending in .gz is gzip-compressed as a stream, flushed after
/// every line, so a session that is killed still leaves a file that replays up to its last tick.
public final class RecordingWriter: @unchecked Sendable {
    public let path: String
    private let handle: FileHandle
    private let compressor: ZlibCompressor?
    private let encoder = JSONEncoder()
    private let lock = NSLock()
    private var closed = false

    public init(path: String, seed: String, started: Double) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw RecordingError.cannotWrite(path)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw RecordingError.cannotWrite(path) }
        self.handle = handle
        compressor = path.hasSuffix(".gz") ? try ZlibCompressor(algorithm: .gzip) : nil
        encoder.outputFormatting = [.withoutEscapingSlashes]
        try writeLine(encoder.encode(RecordingHeader(seed: seed, started: started)))
    }

    public func append(_ snapshot: ClusterSnapshot, events: [ClusterEvent]) throws {
        try writeLine(encoder.encode(RecordedTick(snapshot: snapshot, events: events)))
    }

    private func writeLine(_ json: Data) throws {
        try lock.withLock {
            guard !closed else { return }
            var line = ByteBuffer(bytes: json)
            line.writeInteger(UInt8(ascii: "\n"))
            try write(line, flush: .sync)
        }
    }

    private func write(_ buffer: ByteBuffer, flush: CompressNIOFlush) throws {
        var buffer = buffer
        if let compressor {
            let compressed = try buffer.compressStream(with: compressor, flush: flush)
            // The throwing write: FileHandle.write(_:) traps on a full disk; this reports it instead.
            try handle.write(contentsOf: Data(compressed.readableBytesView))
        } else {
            try handle.write(contentsOf: Data(buffer.readableBytesView))
        }
    }

    /// Ends the gzip stream (its trailer) and closes the file.
    public func close() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            if compressor != nil { try? write(ByteBuffer(), flush: .finish) }
            try? handle.close()
        }
    }
}

public enum RecordingError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(String)
    case cannotRead(String)
    case notARecording(String)
    case empty(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): "cannot write the recording \(path)"
        case .cannotRead(let path): "cannot read \(path)"
        case .notARecording(let path): "\(path) is not a shardtop recording (no header line)"
        case .empty(let path): "\(path) holds no snapshots"
        }
    }
}
