import Foundation

/// What the commands write to stdout with `FileHandle` goes through here.
///
/// SwiftNIO's sockets need SIGPIPE ignored, so a reader that goes away (`shardtop snapshot ... |
/// head -1`) does not end the process as it ends a C tool: the write fails with EPIPE, and
/// Foundation's `FileHandle.write(_:)` traps on any error, with a stack trace. Here a reader that
/// went away ends the process quietly with 141, the status of a process killed by SIGPIPE (so
/// `set -o pipefail` still sees it), and any other write error is one line and exit 2.
public enum StandardOutput {
    public static func write(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            if isBrokenPipe(error) { exit(141) }
            writeError(Data("shardtop: cannot write to stdout: \(sanitizedReason(error))\n".utf8))
            exit(ExitStatus.couldNotRun)
        }
    }

    public static func write(_ text: String) {
        write(Data(text.utf8))
    }

    /// stderr: a reader that went away there is ignored (the command's work and its exit status
    /// matter more than its diagnostics).
    public static func writeError(_ data: Data) {
        try? FileHandle.standardError.write(contentsOf: data)
    }

    /// Foundation reports EPIPE as a Cocoa write error whose underlying error is POSIX 32.
    static func isBrokenPipe(_ error: any Error) -> Bool {
        var current: NSError? = error as NSError
        while let nsError = current {
            if nsError.domain == NSPOSIXErrorDomain, nsError.code == Int(EPIPE) { return true }
            current = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        return false
    }

    private static func sanitizedReason(_ error: any Error) -> String {
        let nsError = error as NSError
        let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        return (underlying ?? nsError).localizedDescription
    }
}
