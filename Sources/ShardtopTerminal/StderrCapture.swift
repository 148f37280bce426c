import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// While curses owns the screen, anything written to stderr (a library warning, a stray log line)
/// would scribble over the dashboard. It goes to a temporary file instead and is printed after
/// the terminal is restored.
final class StderrCapture: @unchecked Sendable {
    private let savedDescriptor: Int32
    private let path: String

    private init(savedDescriptor: Int32, path: String) {
        self.savedDescriptor = savedDescriptor
        self.path = path
    }

    static func begin() -> StderrCapture? {
        var template = Array("/tmp/shardtop-stderr-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return nil }
        let path = String(cString: template)
        let saved = dup(STDERR_FILENO)
        guard saved >= 0 else {
            close(fd)
            unlink(path)
            return nil
        }
        dup2(fd, STDERR_FILENO)
        close(fd)
        return StderrCapture(savedDescriptor: saved, path: path)
    }

    func end() {
        dup2(savedDescriptor, STDERR_FILENO)
        close(savedDescriptor)
        if let data = FileManager.default.contents(atPath: path), !data.isEmpty {
            FileHandle.standardError.write(data)
        }
        unlink(path)
    }
}
