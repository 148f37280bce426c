import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import ShardtopCore
@testable import ShardtopRedis

/// A connection's own handler (`RESPClientHandler`, which parses the bytes itself) in an
/// EmbeddedChannel: requests are written as the connection writes them, reply bytes are fed in
/// pieces of any size, and each request's answer is read back as the caller of `send` gets it.
struct ClientHandlerHarness {
    let channel: EmbeddedChannel

    init(limits: RESPLimits = .default) {
        channel = EmbeddedChannel(handler: RESPClientHandler(
            address: NodeAddress(host: "127.0.0.1", port: 1), tls: nil, endReason: NIOLockedValueBox(nil), limits: limits))
    }

    /// Writes a request that expects `replies` replies; its answer is read with `answer(_:)`.
    func request(replies: Int) throws -> EventLoopFuture<[RESPValue]> {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        try channel.writeOutbound(PipelinedRequest(encoded: channel.allocator.buffer(capacity: 0), replyCount: replies, promise: promise))
        return promise.futureResult
    }

    /// Writes a request answered by a callback (`PipelinedRequest.Completion.callback`, as the
    /// steady poll's requests are); every call it gets is recorded.
    func callbackRequest(replies: Int) throws -> CallbackRecord {
        let record = CallbackRecord()
        try channel.writeOutbound(PipelinedRequest(encoded: channel.allocator.buffer(capacity: 0), replyCount: replies,
                                                   completion: .callback { result in record.calls.withLockedValue { $0.append(result) } }))
        return record
    }

    func feed(_ bytes: some Sequence<UInt8>) throws {
        try channel.writeInbound(ByteBuffer(bytes: Array(bytes)))
    }

    /// Feeds `wire` in pieces whose sizes cycle through `sizes`.
    func feed(_ wire: [UInt8], inPiecesOf sizes: [Int]) throws {
        var start = 0
        var piece = 0
        while start < wire.count {
            let end = min(wire.count, start + max(1, sizes[piece % sizes.count]))
            try feed(wire[start..<end])
            (start, piece) = (end, piece + 1)
        }
    }

    /// The request's outcome so far: nil while replies are still due. An embedded loop runs every
    /// callback at once, so a completed request has its result here.
    func answer(_ future: EventLoopFuture<[RESPValue]>) -> Result<[RESPValue], any Error>? {
        let box = NIOLockedValueBox<Result<[RESPValue], any Error>?>(nil)
        future.whenComplete { result in box.withLockedValue { $0 = result } }
        return box.withLockedValue { $0 }
    }
}

/// What a callback-answered request was told, in order: exactly one entry once it is answered.
final class CallbackRecord: Sendable {
    let calls = NIOLockedValueBox<[Result<[RESPValue], any Error>]>([])
}
