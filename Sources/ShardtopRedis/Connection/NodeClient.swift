import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ShardtopCore

/// Keeps one connection to one node alive: connects lazily, drops the connection on any
/// transport error, and reconnects with exponential backoff so a dead node costs nothing per tick.
public actor NodeClient {
    public nonisolated let address: NodeAddress
    private let options: ConnectionOptions
    private let group: any EventLoopGroup
    private var connection: RedisConnection? { didSet { publishSteadyState() } }
    private var consecutiveFailures = 0 { didSet { publishSteadyState() } }
    private var retryAt: ContinuousClock.Instant?
    private var lastError: String?
    /// How many connections this client has opened: a change between two polls means a new
    /// connection (the node may have restarted), on which the poller asks CLUSTER NODES again.
    public private(set) var connectionsOpened = 0 { didSet { publishSteadyState() } }
    /// What `prepare` reads, copied here whenever the actor changes it, so that the poller can
    /// prepare every node's request without a hop to each node's actor (issue 12: 30 hops before
    /// a warm tick's first write). Reading it races with the actor exactly as a hop would: the
    /// connection may fail after either, and the request then fails like any other.
    private nonisolated let steadyState = NIOLockedValueBox(SteadyState())

    private struct SteadyState {
        var connection: RedisConnection?
        var number = 0
        var healthy = true
    }

    private func publishSteadyState() {
        let state = SteadyState(connection: connection, number: connectionsOpened, healthy: consecutiveFailures == 0)
        steadyState.withLockedValue { $0 = state }
    }

    /// Backoff grows from `firstBackoff`, doubling, capped at `maxBackoff`.
    public static let firstBackoff: Duration = .milliseconds(250)
    public static let maxBackoff: Duration = .seconds(4)

    public init(address: NodeAddress, options: ConnectionOptions, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.address = address
        self.options = options
        self.group = group
    }

    /// Sends a pipelined batch, connecting first if needed. While backing off after a failure it
    /// fails at once with the last error, so a dead node never costs a connect timeout per tick.
    public func send(_ commands: [[String]], timeout: TimeAmount? = nil) async throws -> [RESPValue] {
        try await send(steady: commands, fresh: commands, steadyOn: nil, timeout: timeout).replies
    }

    /// Sends `steady` when the live connection is number `steadyOn` (`connectionsOpened` counts
    /// them), else `fresh`, on the live connection or a new one, and says whether `fresh` went and
    /// on which connection. A poll asks each connection once what it then carries on that
    /// connection's later polls (`ServerIdentity`); the choice is made here, where the connection
    /// is, so a connection replaced since (by a poll or an action's `connected()`) is asked `fresh`.
    public func send(steady: [[String]], fresh: [[String]], steadyOn: Int?, timeout: TimeAmount? = nil) async throws
        -> (replies: [RESPValue], fresh: Bool, connection: Int) {
        // A new connection carries the batch from its first moment (see RedisConnection.connect).
        let (connection, inFlight, opened) = try await open(sending: (fresh, timeout))
        let number = connectionsOpened
        let sentFresh = opened || steadyOn != number
        do {
            let replies: [RESPValue]
            if let inFlight {
                replies = try await connection.replies(to: inFlight)
            } else {
                replies = try await connection.send(sentFresh ? fresh : steady, timeout: timeout)
            }
            consecutiveFailures = 0
            return (replies, sentFresh, number)
        } catch {
            recordFailure(error, closing: connection)
            throw error
        }
    }

    /// A request prepared on the live connection, to be written with other nodes' requests
    /// (`RedisConnection.writeAndRead(_:)`) and read where its replies land (`ClusterPoller`'s steady polls).
    public struct PreparedRequest<Reading: Sendable>: Sendable {
        public let request: RedisConnection.Prepared<Reading>
        fileprivate let connection: RedisConnection
    }

    /// `encoded` prepared on the live connection when that is connection number `number` and the
    /// last request on it succeeded; otherwise nil, and the caller sends the ordinary way (which
    /// connects, and backs off after failures).
    public nonisolated func prepare<Reading: Sendable>(on number: Int, encoded: ByteBuffer, replyCount: Int, timeout: TimeAmount? = nil,
                                                       reading: @escaping @Sendable ([RESPValue]) throws -> Reading) -> PreparedRequest<Reading>? {
        let state = steadyState.withLockedValue { $0 }
        guard let connection = state.connection, connection.isActive, state.number == number, state.healthy else { return nil }
        return PreparedRequest(request: connection.prepare(encoded: encoded, replyCount: replyCount, timeout: timeout, reading: reading),
                               connection: connection)
    }

    /// A prepared request failed: as a failed `send`, the connection is dropped and backoff begins.
    public func failed<Reading>(_ prepared: PreparedRequest<Reading>, error: any Error) {
        recordFailure(error, closing: prepared.connection)
    }

    /// The live connection, for callers that need several round trips in a row (migration, lab setup).
    public func connected() async throws -> RedisConnection {
        try await open(sending: nil).connection
    }

    /// The live connection, or a new one (`opened`) that has already written `first` when it could.
    private func open(sending first: (commands: [[String]], timeout: TimeAmount?)?) async throws
        -> (connection: RedisConnection, first: RedisConnection.InFlight?, opened: Bool) {
        if let connection, connection.isActive { return (connection, nil, false) }
        connection = nil
        if let retryAt, ContinuousClock.now < retryAt {
            let wait = retryAt - ContinuousClock.now
            let millis = Int(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)
            throw RedisClientError.backingOff(lastError: lastError ?? "unreachable", retryInMillis: millis)
        }
        do {
            let fresh = try await RedisConnection.connect(to: address, options: options, group: group, sending: first)
            // The count first: `prepare` must never see the new connection under the old number.
            connectionsOpened += 1
            connection = fresh.connection
            return (fresh.connection, fresh.first, true)
        } catch {
            recordFailure(error, closing: nil)
            throw error
        }
    }

    public func close() {
        connection?.close()
        connection = nil
    }

    private func recordFailure(_ error: any Error, closing failed: RedisConnection?) {
        failed?.close()
        if connection === failed { connection = nil }
        consecutiveFailures += 1
        lastError = String(describing: error)
        let exponent = min(consecutiveFailures - 1, 10)
        let backoff = min(Self.firstBackoff * (1 << exponent), Self.maxBackoff)
        // The first failure retries on the next tick: one lost reply is not yet a pattern.
        retryAt = consecutiveFailures > 1 ? ContinuousClock.now + backoff : nil
    }
}
