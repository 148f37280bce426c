import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Refuses early, with one line, when there is no terminal to draw on: ncurses would otherwise
/// print a cryptic message or draw into a pipe.
public enum TerminalCheck {
    public static func problem(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
            return "the dashboard needs a terminal (stdin and stdout are not a TTY); use `shardtop snapshot`, `check` or `watch` in scripts"
        }
        guard let term = environment["TERM"], !term.isEmpty else {
            return "TERM is not set, so the terminal type is unknown; set TERM (e.g. TERM=xterm-256color)"
        }
        if term == "dumb" {
            return "TERM=dumb cannot show the dashboard; use `shardtop watch` for a line-by-line view"
        }
        return nil
    }
}
