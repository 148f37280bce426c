#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Lets one thread sleep in poll() until another thread has news for it, or a file descriptor it
/// also watches (the terminal) is readable. A pipe rather than a condition variable, because the
/// terminal thread must wait on the terminal and the news at once.
///
/// `signal()` writes one byte only when none is pending, so a thousand changes between two turns of
/// the waiting thread cost one write and one wake-up.
final class WakePipe: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32
    private let lock = NSLock()
    private var pending = false

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    func signal() {
        let first = lock.withLock { () -> Bool in
            defer { pending = true }
            return !pending
        }
        guard first, writeEnd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Returns when `fd` is readable, `coalesceMillis` after a signal, or after `timeoutMillis`,
    /// whichever is first. A signal that came before the call counts (it is not lost).
    ///
    /// The pause after a signal gathers what arrives together (the clock, a poll's snapshot, log
    /// lines, an operation's progress) into one frame, as the old 100 ms turn did: drawing each
    /// change on its own wrote several times the bytes to the terminal. A key ends the pause.
    func wait(alsoReadable fd: Int32, timeoutMillis: Int32, coalesceMillis: Int32) {
        var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0), pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, nfds_t(fds.count), timeoutMillis)
        if fds[0].revents & Int16(POLLIN) != 0 && fds[1].revents == 0 && coalesceMillis > 0 {
            var keyOnly = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            _ = poll(&keyOnly, 1, coalesceMillis)
        }
        // A terminal that hung up stays "readable" for ever; sleep on the pipe alone then rather than
        // spin (SIGHUP is on its way and ends the dashboard).
        if fds[1].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && fds[0].revents == 0 {
            var pipeOnly = [fds[0]]
            _ = poll(&pipeOnly, 1, timeoutMillis)
        }
        drain()
    }

    /// Bytes first, then the flag: a signal in between writes nothing, but its change is seen
    /// anyway, because the caller looks at the state after this returns.
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
        lock.withLock { pending = false }
    }
}
