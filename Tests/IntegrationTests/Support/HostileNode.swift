import NIOCore
import NIOPosix
import ShardtopCore
import ShardtopRedis

/// A TCP server that speaks just enough to look like a node, then misbehaves.
/// Used to show that a broken or malicious node gets a clear error and harms nobody else.
final class HostileNode: Sendable {
    enum Behaviour: Sendable {
        /// Answers every read with these bytes.
        case reply([UInt8])
        /// Accepts the connection and never answers (like a SIGSTOPped node, but forever).
        case silent
        /// Answers each command (decoded as RESP) with the bytes this returns for it, given the
        /// node's own port (for its `myself` line): a well-formed conversation with hostile content.
        case script(@Sendable (_ command: [String], _ port: Int) -> [UInt8])
    }

    let address: NodeAddress
    private let channel: any Channel

    private init(address: NodeAddress, channel: any Channel) {
        self.address = address
        self.channel = channel
    }

    static func start(_ behaviour: Behaviour) async throws -> HostileNode {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Misbehaviour(behaviour: behaviour))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        return HostileNode(address: NodeAddress(host: "127.0.0.1", port: port), channel: channel)
    }

    func stop() { channel.close(promise: nil) }

    private final class Misbehaviour: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        private var pending = ByteBuffer()
        private var parser = RESPParser()
        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch behaviour {
            case .reply(let bytes):
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            case .silent:
                return
            case .script(let answer):
                var input = unwrapInboundIn(data)
                pending.writeBuffer(&input)
                var out = context.channel.allocator.buffer(capacity: 0)
                while let command = try? parser.parse(&pending) {
                    out.writeBytes(answer(command.array?.compactMap(\.string) ?? [], context.channel.localAddress?.port ?? 0))
                }
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            }
        }
    }
}
