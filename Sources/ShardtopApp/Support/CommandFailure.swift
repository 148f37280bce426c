import ArgumentParser
import Foundation

/// Exit codes shardtop promises to scripts.
public enum ExitStatus {
    public static let ok: Int32 = 0
    /// `check` found errors.
    public static let problemsFound: Int32 = 1
    /// Could not run: bad arguments, nothing reachable, no server binary.
    public static let couldNotRun: Int32 = 2

    /// Ends every command's --help, so what a refusal looks like is said where options are read.
    public static let refusalHelp = """
    Bad input (a number out of range, inf or nan, a bad slot range, an unknown option) is refused \
    before anything connects, with one line on stderr and exit 2, e.g.
      shardtop: --timeout must be between 1 and 600000 ms (got 0)
    """
}

/// Prints one line to stderr and exits with `code`: the whole error an operator sees, no stack trace.
public func fail(_ message: String, code: Int32 = ExitStatus.couldNotRun) -> ExitCode {
    StandardOutput.writeError(Data("shardtop: \(message)\n".utf8))
    return ExitCode(code)
}

public func printError(_ message: String) {
    StandardOutput.writeError(Data("shardtop: \(message)\n".utf8))
}
