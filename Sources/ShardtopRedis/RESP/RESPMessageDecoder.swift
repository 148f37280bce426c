import NIOCore

/// Turns the inbound byte stream of a connection into RESP values, one per server reply or push.
///
/// A protocol error is thrown to the pipeline: after a malformed reply the stream cannot be
/// resynchronised, so the connection should be closed by whoever handles the error.
public struct RESPMessageDecoder: ByteToMessageDecoder {
    public typealias InboundOut = RESPValue

    private var parser: RESPParser

    public init(limits: RESPLimits = .default) {
        self.parser = RESPParser(limits: limits)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try parser.parse(&buffer) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }
}
