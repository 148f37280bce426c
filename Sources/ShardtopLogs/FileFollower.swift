#if canImport(Glibc)
import Glibc
#endif

/// Follows a growing log file by polling, like `tail -F`: notices truncation (size shrank:
/// start again from the top) and rotation (the path now names a different inode: finish the old
/// file, then read the new one from its start). Polling rather than inotify keeps it portable
/// and costs one stat per interval.
final class FileFollower {
    let path: String
    private var fd: Int32
    private var inode: ino_t
    private var offset: Int
    private var pending: [UInt8]
    /// Per poll, so a burst of writes cannot make one batch unbounded.
    static let maxReadPerPoll = 1024 * 1024
    /// A "line" longer than this is delivered in pieces rather than buffered without end.
    static let maxLineLength = 64 * 1024

    init(path: String, fd: Int32, inode: ino_t, offset: Int, pending: [UInt8]) {
        self.path = path
        self.fd = fd
        self.inode = inode
        self.offset = offset
        self.pending = pending
    }

    deinit { close(fd) }

    /// New complete lines since the last poll.
    func poll() -> [[UInt8]] {
        var lines = drain()
        var pathStat = stat()
        if stat(path, &pathStat) == 0, pathStat.st_ino != inode {
            let fresh = open(path, O_RDONLY | O_CLOEXEC)
            if fresh >= 0 {
                if !pending.isEmpty { lines.append(pending) }
                close(fd)
                fd = fresh
                inode = pathStat.st_ino
                offset = 0
                pending = []
                lines += drain()
            }
        }
        return lines
    }

    private func drain() -> [[UInt8]] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return [] }
        let size = Int(info.st_size)
        if size < offset {
            offset = 0
            pending = []
        }
        guard size > offset else { return [] }
        let length = min(size - offset, Self.maxReadPerPoll)
        var buffer = [UInt8](repeating: 0, count: length)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(offset)) }
        guard got > 0 else { return [] }
        offset += got
        var lines: [[UInt8]] = []
        var start = 0
        for index in 0..<got where buffer[index] == 0x0A {
            lines.append(pending + buffer[start..<index])
            pending = []
            start = index + 1
        }
        pending += buffer[start..<got]
        if pending.count > Self.maxLineLength {
            lines.append(pending)
            pending = []
        }
        return lines
    }
}
