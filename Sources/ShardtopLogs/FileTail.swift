#if canImport(Glibc)
import Glibc
#endif

/// Reads the last lines of a file by seeking back from its end, so a 200 MB log costs a few
/// reads, not 200 MB. Memory is bounded by `maxBytes` whatever the file holds: a log whose last
/// lines are enormous gets fewer lines, never a bigger buffer.
enum FileTail {
    struct Result {
        /// Complete lines, oldest first, without their newlines.
        var lines: [[UInt8]]
        /// Text after the last newline (a line still being written), kept for the follower.
        var partial: [UInt8]
        /// Bytes actually read, for tests that hold the bound.
        var bytesRead: Int
    }

    static let chunkSize = 64 * 1024

    /// The last `count` complete lines of the open file `fd`, whose size is `size`.
    static func read(fd: Int32, size: Int, count: Int, maxBytes: Int = 4 * 1024 * 1024) -> Result {
        var chunks: [[UInt8]] = []
        var position = size
        var newlines = 0
        var bytesRead = 0
        // count lines need count+1 newlines before them (the one ending the line before the first),
        // plus the newline that ends the last complete line.
        while position > 0 && newlines <= count && bytesRead < maxBytes {
            let length = min(chunkSize, position, maxBytes - bytesRead)
            position -= length
            var chunk = [UInt8](repeating: 0, count: length)
            let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(position)) }
            guard got == length else { break }
            bytesRead += length
            newlines += chunk.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            chunks.append(chunk)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(bytesRead)
        for chunk in chunks.reversed() { bytes += chunk }
        // Where the read started mid-line (not at the file's start), the first piece is not a whole line.
        let startsMidLine = position > 0
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let partial = lines.removeLast()
        if startsMidLine, !lines.isEmpty { lines.removeFirst() }
        if lines.count > count { lines.removeFirst(lines.count - count) }
        return Result(lines: lines, partial: partial, bytesRead: bytesRead)
    }
}
