import NIOPosix
import Testing
@testable import ShardtopRedis

@Suite struct WarmUpTests {
    /// The warm-up dials a path that cannot exist: it must come back at once, every time, and
    /// leave nothing open on the loops (the group then shuts down).
    @Test(.timeLimit(.minutes(1))) func returnsAndLeavesTheLoopsIdle() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        await RedisConnection.warmUp(options: ConnectionOptions(), group: group)
        await RedisConnection.warmUp(options: ConnectionOptions(), group: group)
        try await group.shutdownGracefully()
    }
}
