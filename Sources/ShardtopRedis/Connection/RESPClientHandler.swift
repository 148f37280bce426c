import NIOCore

/// A batch of commands written together, answered by the same number of replies in order.
struct PipelinedRequest: Sendable {
    var encoded: ByteBuffer
    var replyCount: Int
    var promise: EventLoopPromise<[RESPValue]>
}

/// Matches replies to requests in FIFO order, which is all pipelining needs.
/// Any protocol error or close fails every waiting request: after a bad byte the stream
/// cannot be trusted to line up again, so the connection is dropped rather than resynchronised.
final class RESPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = PipelinedRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        var remaining: Int
        var replies: [RESPValue]
        var promise: EventLoopPromise<[RESPValue]>
    }

    private var queue: [Waiting] = []
    private var queueHead = 0

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard request.replyCount > 0 else {
            request.promise.succeed([])
            promise?.succeed(())
            return
        }
        queue.append(Waiting(remaining: request.replyCount, replies: [], promise: request.promise))
        context.write(wrapOutboundOut(request.encoded), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        // RESP3 pushes (invalidation, pub/sub) are not replies to anything we sent.
        if case .push = value { return }
        guard queueHead < queue.count else {
            failAll(RedisClientError.protocolViolation("reply with no request outstanding"), context: context)
            return
        }
        queue[queueHead].replies.append(value)
        queue[queueHead].remaining -= 1
        if queue[queueHead].remaining == 0 {
            let done = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            done.promise.succeed(done.replies)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let mapped: RedisClientError
        if let protocolError = error as? RESPProtocolError {
            mapped = .protocolViolation(String(describing: protocolError))
        } else if let clientError = error as? RedisClientError {
            mapped = clientError
        } else {
            mapped = .protocolViolation(String(describing: error))
        }
        failAll(mapped, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(RedisClientError.connectionClosed)
        context.fireChannelInactive()
    }

    private func failAll(_ error: RedisClientError, context: ChannelHandlerContext) {
        failPending(error)
        context.close(promise: nil)
    }

    private func failPending(_ error: RedisClientError) {
        let waiting = queue[queueHead...]
        queue.removeAll()
        queueHead = 0
        for entry in waiting { entry.promise.fail(error) }
    }
}
