import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Routes a signal to a dispatch source instead of its default action.
///
/// The usual recipe is `signal(sig, SIG_IGN)`, but an ignored signal stays ignored across exec:
/// every redis-server the lab starts would then ignore SIGTERM and need SIGKILL. A real (empty)
/// handler is reset to the default in the child, so children stay stoppable.
///
/// The empty handler is installed once per signal, before the first source: libdispatch then
/// installs its own handler and keeps it; replacing it again later would silence every source.
public func makeSignalSource(_ signalNumber: Int32, handler: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
    SignalPreparation.prepare(signalNumber)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
    source.setEventHandler(handler: handler)
    source.resume()
    return source
}

private enum SignalPreparation {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var prepared: Set<Int32> = []

    public static func prepare(_ signalNumber: Int32) {
        lock.withLock {
            guard prepared.insert(signalNumber).inserted else { return }
            signal(signalNumber, ignoreButDoNotInherit)
        }
    }
}

private func ignoreButDoNotInherit(_: Int32) {}
