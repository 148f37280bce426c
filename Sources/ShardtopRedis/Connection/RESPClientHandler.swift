import NIOConcurrencyHelpers
import NIOCore
import ShardtopCore
#if canImport(Glibc)
import Glibc
#endif

/// A batch of commands written together, answered by the same number of replies in order.
struct PipelinedRequest: Sendable {
    var encoded: ByteBuffer
    var replyCount: Int
    var completion: Completion

    /// Who hears the replies. Both are told on the channel's event loop, exactly once.
    enum Completion: Sendable {
        case promise(EventLoopPromise<[RESPValue]>)
        /// For the steady poll's requests (`RedisConnection.prepare`): a promise and its future
        /// cost a warm tick's 30 requests two allocations each, and each future's deinit looked
        /// up the metadata of its generic value at run time (issue 12, `perf record` of D ticks).
        case callback(@Sendable (Result<[RESPValue], any Error>) -> Void)

        func succeed(_ replies: [RESPValue]) {
            switch self {
            case .promise(let promise): promise.succeed(replies)
            case .callback(let callback): callback(.success(replies))
            }
        }

        func fail(_ error: any Error) {
            switch self {
            case .promise(let promise): promise.fail(error)
            case .callback(let callback): callback(.failure(error))
            }
        }
    }

    init(encoded: ByteBuffer, replyCount: Int, promise: EventLoopPromise<[RESPValue]>) {
        self.init(encoded: encoded, replyCount: replyCount, completion: .promise(promise))
    }

    init(encoded: ByteBuffer, replyCount: Int, completion: Completion) {
        self.encoded = encoded
        self.replyCount = replyCount
        self.completion = completion
    }
}

/// Parses the connection's bytes into replies and matches them to requests in FIFO order, which
/// is all pipelining needs.
/// Any protocol error or close fails every waiting request: after a bad byte the stream
/// cannot be trusted to line up again, so the connection is dropped rather than resynchronised.
///
/// It parses itself rather than sitting behind NIO's `ByteToMessageHandler`: one handler per
/// connection instead of two, and no pipeline step per reply. The second handler's first use cost a
/// cold process seven of its 31 protocol-conformance scans, each a walk over the binary's 8,600
/// conformance records (issue 12, ninth round: counted with a uprobe on the scan).
final class RESPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = PipelinedRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        var remaining: Int
        var replies: [RESPValue]
        var completion: PipelinedRequest.Completion
    }

    private var queue: [Waiting] = []
    private var queueHead = 0
    private let address: NodeAddress
    /// The connection's TLS settings, nil for plaintext: they decide what a TLS error means.
    private let tls: TLSSettings?
    /// Why the connection ended, for a request written after the fact (a TLS 1.3 server refuses a
    /// missing client certificate right after the handshake, possibly before our first write).
    private let endReason: NIOLockedValueBox<RedisClientError?>
    private var answeredAnything = false
    /// The start of a reply not yet whole, kept until the rest arrives. The parser consumes
    /// nothing until a value is complete, so a reply is re-read from its first byte as it grows,
    /// as `ByteToMessageHandler` did; `limits.maxReplyBytes` bounds how large that can get.
    private var partial: ByteBuffer?
    /// Set once the connection failed or closed: replies still in the read are dropped, as every
    /// request waiting for them has been failed.
    private var ended = false

    private var parser: RESPParser
    private let limits: RESPLimits

    init(address: NodeAddress, tls: TLSSettings?, endReason: NIOLockedValueBox<RedisClientError?>, limits: RESPLimits = .default) {
        self.limits = limits
        self.parser = RESPParser(limits: limits)
        self.address = address
        self.tls = tls
        self.endReason = endReason
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard request.replyCount > 0 else {
            request.completion.succeed([])
            promise?.succeed(())
            return
        }
        queue.append(Waiting(remaining: request.replyCount, replies: [], completion: request.completion))
        context.write(wrapOutboundOut(request.encoded), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if var earlier = partial {
            // Released first, so appending does not copy the kept bytes.
            partial = nil
            earlier.writeBuffer(&bytes)
            bytes = earlier
        }
        do {
            while !ended, let value = try parser.parse(&bytes) {
                received(value, context: context)
            }
        } catch {
            failAll(mapped(error), context: context)
            return
        }
        guard !ended, bytes.readableBytes > 0 else { return }
        if bytes.readableBytes > limits.maxReplyBytes {
            let cap = limits.maxReplyBytes >= 1 << 20 ? "\(limits.maxReplyBytes >> 20) MiB" : "\(limits.maxReplyBytes >> 10) KiB"
            failAll(.protocolViolation("a reply larger than \(cap) (refused before it all arrived)"), context: context)
            return
        }
        bytes.discardReadBytes()
        partial = bytes
    }

    private func received(_ value: RESPValue, context: ChannelHandlerContext) {
        answeredAnything = true
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
            done.completion.succeed(done.replies)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(mapped(error), context: context)
    }

    /// What an error from below (TLS, the socket) or from the parser means to a caller.
    private func mapped(_ error: any Error) -> RedisClientError {
        let mapped: RedisClientError
        if let tls, let failure = TLSFailure.classify(error) {
            // After the handshake: e.g. TLS 1.3 servers refuse a missing client certificate only now.
            mapped = .tls(address: address, reason: failure.reason(settings: tls, host: address.host))
        } else if tls == nil, let protocolError = error as? RESPProtocolError, case .unknownTypeByte(let byte) = protocolError, byte == 0x15 || byte == 0x16 {
            // 0x15 starts a TLS alert record, 0x16 a handshake record: a TLS port answering plaintext.
            mapped = .tls(address: address, reason: "the node speaks TLS, but this connection is plaintext (use --tls or rediss://)")
        } else if tls == nil, !answeredAnything, let io = error as? IOError, io.errnoCode == ECONNRESET {
            // A TLS server drops a connection whose first bytes are not a TLS hello.
            mapped = .tls(address: address, reason: "the node reset the connection before answering: does it require TLS? (use --tls or rediss://)")
        } else if let protocolError = error as? RESPProtocolError {
            mapped = .protocolViolation(String(describing: protocolError))
        } else if let clientError = error as? RedisClientError {
            mapped = clientError
        } else {
            mapped = .protocolViolation(String(describing: error))
        }
        return mapped
    }

    func channelInactive(context: ChannelHandlerContext) {
        ended = true
        partial = nil
        failPending(RedisClientError.connectionClosed)
        context.fireChannelInactive()
    }

    private func failAll(_ error: RedisClientError, context: ChannelHandlerContext) {
        ended = true
        partial = nil
        endReason.withLockedValue { if $0 == nil { $0 = error } }
        failPending(error)
        context.close(promise: nil)
    }

    private func failPending(_ error: RedisClientError) {
        let waiting = queue[queueHead...]
        queue.removeAll()
        queueHead = 0
        for entry in waiting { entry.completion.fail(error) }
    }
}
