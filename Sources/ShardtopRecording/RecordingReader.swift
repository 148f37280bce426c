import CompressNIO
import Foundation
import NIOCore
import ShardtopCore

/// A recording read back: the header and every tick, in order. A gzip stream cut short (the
/// recorder was killed) is read up to its last complete line; broken lines are skipped and counted.
public struct Recording: Sendable {
    public var header: RecordingHeader
    public var ticks: [RecordedTick]
    public var skippedLines: Int

    public var duration: Double { (ticks.last?.time ?? 0) - (ticks.first?.time ?? 0) }

    public static func load(path: String) throws -> Recording {
        guard let data = FileManager.default.contents(atPath: path) else { throw RecordingError.cannotRead(path) }
        let text = isGzip(data) ? inflate(data) : data
        var lines = text.split(separator: UInt8(ascii: "\n"))
        let decoder = JSONDecoder()
        guard let first = lines.first, let header = try? decoder.decode(RecordingHeader.self, from: Data(first)),
              header.format == RecordingHeader.formatName
        else { throw RecordingError.notARecording(path) }
        lines.removeFirst()
        var ticks: [RecordedTick] = []
        var skipped = 0
        for line in lines {
            // A file is input like any other: times that are not plausible Unix times are dropped,
            // so nothing downstream (clock formatting, seeking) meets an absurd value.
            guard var tick = try? decoder.decode(RecordedTick.self, from: Data(line)), plausible(tick.time) else {
                skipped += 1
                continue
            }
            tick.events = tick.events.filter { plausible($0.time) }
            ticks.append(tick)
        }
        ticks.sort { $0.time < $1.time }
        guard !ticks.isEmpty else { throw RecordingError.empty(path) }
        return Recording(header: header, ticks: ticks, skippedLines: skipped)
    }

    static func plausible(_ time: Double) -> Bool { time.isFinite && time >= 0 && time < 1e11 }

    /// A recording is inflated whole; past this size it is cut (a gzip bomb cannot eat the memory).
    static let maximumInflatedBytes = 2 << 30

    static func isGzip(_ data: Data) -> Bool { data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B }

    /// Inflates as far as the stream goes; a missing trailer or a torn last block just ends it.
    static func inflate(_ data: Data) -> Data {
        var input = ByteBuffer(bytes: data)
        var output = Data()
        guard let decompressor = try? ZlibDecompressor(algorithm: .gzip) else { return output }
        var window = ByteBufferAllocator().buffer(capacity: 256 * 1024)
        do {
            try input.decompressStream(with: decompressor, window: &window) { chunk in
                guard output.count < maximumInflatedBytes else { throw RecordingError.cannotRead("inflated size above 2 GiB") }
                output.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            // Whatever was inflated before the damage is kept: it ends at a flushed line boundary.
        }
        return output
    }
}
