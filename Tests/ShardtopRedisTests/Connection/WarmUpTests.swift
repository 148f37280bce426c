import NIOPosix
import Testing
@testable import ShardtopRedis

@Suite struct WarmUpTests {
    /// The warm-up dials a path that cannot exist: it must come back (not wait on a connect
    /// timeout or hang), each time it is called, and leave loops that shut down cleanly.
    @Test(.timeLimit(.minutes(1))) func returnsAndLeavesTheLoopsIdle() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        await RedisConnection.warmUp(options: ConnectionOptions(), group: group)
        await RedisConnection.warmUp(options: ConnectionOptions(), group: group)
        try await group.shutdownGracefully()
    }
}
