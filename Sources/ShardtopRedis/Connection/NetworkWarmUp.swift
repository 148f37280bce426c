import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ShardtopCore

/// Work every connecting command does once per process, started on the other core while the
/// main thread parses the command line: the event loops' threads, and the runtime's first
/// look-ups of the connection's handler types (which NIO checks against its handler protocols
/// when a pipeline takes them). A cold `snapshot` parses its arguments for about 3 ms with one
/// core idle; without this, the seed's connection paid these look-ups after the parse.
public enum NetworkWarmUp {
    public static func start() {
        Task.detached(priority: .high) {
            _ = MultiThreadedEventLoopGroup.singleton
            let handlers: [Any] = [
                ByteToMessageHandler(RESPMessageDecoder()),
                RESPClientHandler(address: NodeAddress(host: "127.0.0.1", port: 0), tls: nil, endReason: NIOLockedValueBox<RedisClientError?>(nil)),
            ]
            for handler in handlers {
                _ = handler as? any _ChannelInboundHandler
                _ = handler as? any _ChannelOutboundHandler
                _ = handler as? any RemovableChannelHandler
            }
        }
    }
}
