import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Routes a signal to a dispatch source instead of its default action.
///
/// The usual recipe is `signal(sig, SIG_IGN)`, but an ignored signal stays ignored across exec:
/// every redis-server the lab starts would then ignore SIGTERM and need SIGKILL. A real (empty)
/// handler is reset to the default in the child, so children stay stoppable.
func makeSignalSource(_ signalNumber: Int32, handler: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
    signal(signalNumber, ignoreButDoNotInherit)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
    source.setEventHandler(handler: handler)
    source.resume()
    return source
}

private func ignoreButDoNotInherit(_: Int32) {}
