import ArgumentParser
import Foundation

/// ArgumentParser's own main, except for bad input: its answer to a typo is the usage block and
/// exit 64, and shardtop promises scripts one line and exit 2 (ExitStatus.couldNotRun) for that,
/// the same as a bad seed. Help, --version and errors from run() go the usual way. Shared by
/// `shardtop` and `shardtop-bench`.
public enum CommandLineMain {
    /// `warmingUp`: the subcommands that connect at once (see `ConnectionWarmUp`).
    public static func run<Root: AsyncParsableCommand>(_ root: Root.Type, warmingUp: [any ParsableCommand.Type] = []) async {
        do {
            PhaseLog.mark("main")
            ConnectionWarmUp.start(ifFirstArgumentNames: warmingUp)
            var parsed = try await Root.asyncParseAsRoot()
            PhaseLog.mark("parsed")
            if var command = parsed as? AsyncParsableCommand {
                try await command.run()
            } else {
                try parsed.run()
            }
            succeeded()
        } catch let code as ExitCode {
            ended(code)
        } catch {
            if Root.exitCode(for: error) == .validationFailure { Foundation.exit(refuse(Root.self, error)) }
            Root.exit(withError: error)
        }
    }

    /// Runs a line that needs no parsing (see `PlainCommandLine`), ending the process as `run` does.
    public static func run<Root: AsyncParsableCommand>(_ root: Root.Type, plain line: PlainCommandLine) async -> Never {
        do {
            PhaseLog.mark("main")
            PhaseLog.mark("parsed")
            try await line.run()
            succeeded()
        } catch let code as ExitCode {
            ended(code)
        } catch {
            Root.exit(withError: error)
        }
    }

    /// Ends the process here, on this thread: returning would first hop back to the main thread
    /// (async main runs there), a wake-up that cost a cold `snapshot` 1-4 ms between its last
    /// write and its exit on a busy machine. Flushing stdio is all the exit needs: nothing here
    /// registers an atexit handler, and every command closes its connections, files and terminal
    /// before returning, so _exit skips only the libraries' static destructors (issue 12, seventh
    /// round: measured).
    private static func succeeded() -> Never { ended(.success) }

    /// A command's own exit status (`check`: 1 when it found errors; 2 when it could not run, its
    /// one line already printed) ends the process the same way. ArgumentParser's `exit(withError:)`
    /// prints nothing for an `ExitCode` either, but first builds the command's help text, a
    /// millisecond of a cold `check` that found problems (issue 12).
    private static func ended(_ code: ExitCode) -> Never {
        fflush(nil)
        _exit(code.rawValue)
    }

    /// Prints the one line for a parse or validation error and returns the exit code.
    static func refuse<Root: ParsableCommand>(_ root: Root.Type, _ error: Error) -> Int32 {
        // The message may carry a second line of help text; the first says what was wrong.
        let first = Root.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "bad arguments"
        printError(first)
        return ExitStatus.couldNotRun
    }
}
