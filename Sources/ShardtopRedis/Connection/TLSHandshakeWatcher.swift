import NIOCore
import NIOTLS

/// Sits behind the TLS handler and completes once the handshake has, or fails with the handshake's
/// error. Connecting waits for it, so a certificate problem is reported by `connect` with the node's
/// address, not later as a vague failure of whatever request came first.
final class TLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let done: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.done = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { done.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(RedisClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        done.fail(RedisClientError.connectionClosed)
    }
}
