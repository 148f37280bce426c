import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import ShardtopCore

/// One TCP connection to one node: pipelined requests, each with a deadline.
///
/// Error replies (`-ERR ...`) come back as `.error` values in the result, not as thrown errors:
/// one pipelined batch can mix successes and failures, and the caller decides what each means.
/// Thrown errors are about the connection itself (timeout, close, protocol violation).
public final class RedisConnection: Sendable {
    public let address: NodeAddress
    private let channel: any Channel
    private let requestTimeout: TimeAmount
    /// Kept so a connection closed by a timeout can be replaced with an equal one (`reopened`).
    private let options: ConnectionOptions
    /// Commands to send ahead of the first request (CLIENT SETNAME), so naming the connection
    /// costs no round trip of its own. Their replies are checked and dropped.
    private let preamble: NIOLockedValueBox<[[String]]>
    /// Set by the handler when the connection fails; a later request reports it instead of "closed".
    private let endReason: NIOLockedValueBox<RedisClientError?>

    private init(address: NodeAddress, channel: any Channel, options: ConnectionOptions, endReason: NIOLockedValueBox<RedisClientError?>) {
        self.endReason = endReason
        self.address = address
        self.channel = channel
        self.requestTimeout = options.requestTimeout
        self.options = options
        self.preamble = NIOLockedValueBox([])
    }

    public var isActive: Bool { channel.isActive }

    /// Connects, then authenticates and names the client in one pipelined round trip.
    public static func connect(
        to address: NodeAddress,
        options: ConnectionOptions,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RedisConnection {
        try await connect(to: address, options: options, group: group, sending: nil).connection
    }

    /// A request already written, its replies not yet awaited (see `connect(to:options:group:sending:)`).
    public struct InFlight: Sendable {
        fileprivate let replies: EventLoopFuture<[RESPValue]>
        fileprivate let leading: Int
    }

    /// Connects and, when nothing has to be answered first (no TLS, no AUTH or HELLO), writes
    /// `first` from the event loop the moment the socket is up, with CLIENT SETNAME ahead of it;
    /// otherwise `first` is nil in the result and the caller sends as usual. A cold poll of 30 nodes
    /// wrote its requests only once the event loops had started every connection and the task for
    /// each had hopped back from the event loop; written here, each node starts on its answer while
    /// the next connections are still being made. Await the replies with `replies(to:)`.
    public static func connect(
        to address: NodeAddress,
        options: ConnectionOptions,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        sending first: (commands: [[String]], timeout: TimeAmount?)?
    ) async throws -> (connection: RedisConnection, first: InFlight?) {
        let tls = options.tls
        let handshake = NIOLockedValueBox<EventLoopFuture<Void>?>(nil)
        let endReason = NIOLockedValueBox<RedisClientError?>(nil)
        let bootstrap = Self.bootstrap(to: address, options: options, group: group, handshake: handshake, endReason: endReason)
        // Only a plaintext RESP2 connection without a password has nothing to wait for before the
        // first request: the name rides on it (see `handshake`).
        let early = first.flatMap { first in
            tls == nil && options.password == nil && options.protocolVersion != 3 ? first : nil
        }
        let opened: (connection: RedisConnection, first: InFlight?)
        do {
            let connecting: EventLoopFuture<any Channel>
            // An IP address needs no lookup: dialled directly, it skips getaddrinfo and happy eyeballs
            // (their timers and thread hops). With 5,000 named nodes that do not answer, redialled every
            // few seconds, that machinery was most of the dashboard's CPU. Names still go through it.
            if let ip = try? SocketAddress(ipAddress: address.host, port: address.port) {
                connecting = bootstrap.connect(to: ip)
            } else {
                connecting = bootstrap.connect(host: address.host, port: address.port)
            }
            // Runs on the channel's event loop as the connect completes: no hop before the write.
            opened = try await connecting.map { channel in
                let connection = RedisConnection(address: address, channel: channel, options: options, endReason: endReason)
                guard let early else { return (connection, nil) }
                let inFlight = connection.begin(leading: [["CLIENT", "SETNAME", options.clientName]], commands: early.commands, timeout: early.timeout)
                return (connection, inFlight)
            }.get()
        } catch let error as ChannelError {
            if case .connectTimeout = error {
                throw RedisClientError.connectTimedOut(address: address, millis: Int(options.connectTimeout.nanoseconds / 1_000_000))
            }
            throw RedisClientError.connectFailed(address: address, reason: describe(error))
        } catch let error as RedisClientError {
            throw error
        } catch {
            if let tls, let failure = TLSFailure.classify(error) {
                throw RedisClientError.tls(address: address, reason: failure.reason(settings: tls.settings, host: address.host))
            }
            throw RedisClientError.connectFailed(address: address, reason: describe(error))
        }
        if opened.first != nil { return opened }
        let connection = opened.connection
        if let tls, let done = handshake.withLockedValue({ $0 }) {
            try await waitForHandshake(done, channel: connection.channel, address: address, tls: tls, options: options, group: group)
        }
        do {
            try await connection.handshake(options)
        } catch {
            connection.close()
            throw error
        }
        return (connection, nil)
    }

    /// The bootstrap every connection is made with (and `warmUp`, so it runs the same code).
    private static func bootstrap(
        to address: NodeAddress, options: ConnectionOptions, group: any EventLoopGroup,
        handshake: NIOLockedValueBox<EventLoopFuture<Void>?>, endReason: NIOLockedValueBox<RedisClientError?>
    ) -> ClientBootstrap {
        let limits = options.limits
        let tls = options.tls
        return ClientBootstrap(group: group)
            .connectTimeout(options.connectTimeout)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // First in the pipeline: a TLS seed never sees a plaintext byte from us.
                        try channel.pipeline.syncOperations.addHandler(try tls.handler(forHost: address.host))
                        let watcher = TLSHandshakeWatcher(promise: channel.eventLoop.makePromise())
                        handshake.withLockedValue { $0 = watcher.done.futureResult }
                        try channel.pipeline.syncOperations.addHandler(watcher)
                    }
                    try channel.pipeline.syncOperations.addHandler(RESPClientHandler(address: address, tls: tls?.settings, endReason: endReason, limits: limits))
                }
            }
    }

    /// Pays a process's first-connection costs ahead of time: the event loops' threads, and the
    /// runtime's one-time type metadata and protocol conformance lookups for NIO's socket channel
    /// and our handlers (each lookup scans every conformance record in the binary, about 30 us).
    /// It dials a Unix socket path that cannot exist, so nothing leaves the machine and the attempt
    /// fails at once. Run beside argument parsing, it takes them off a cold command's critical path.
    public static func warmUp(options: ConnectionOptions, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async {
        let bootstrap = bootstrap(to: NodeAddress(host: "127.0.0.1", port: 1), options: options, group: group,
                                  handshake: NIOLockedValueBox(nil), endReason: NIOLockedValueBox(nil))
        // Should something listen there after all, the channel is closed unused.
        if let channel = try? await bootstrap.connect(unixDomainSocketPath: "/nonexistent/shardtop-warm-up").get() {
            channel.close(promise: nil)
        }
    }

    /// Waits for the TLS handshake within the connect timeout and names its failure.
    private static func waitForHandshake(
        _ done: EventLoopFuture<Void>, channel: any Channel, address: NodeAddress, tls: TLSClient,
        options: ConnectionOptions, group: any EventLoopGroup
    ) async throws {
        let millis = Int(options.connectTimeout.nanoseconds / 1_000_000)
        let timedOut = NIOLockedValueBox(false)
        let timer = channel.eventLoop.scheduleTask(in: options.connectTimeout) {
            timedOut.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            try await done.get()
        } catch {
            channel.close(promise: nil)
            let failure = TLSFailure.classify(error)
            let reason: String
            switch failure {
            case .untrusted?:
                reason = await TLSDiagnosis.untrustedReason(address: address, client: tls, connectTimeout: options.connectTimeout, group: group)
            case let known?:
                reason = known.reason(settings: tls.settings, host: address.host)
            case nil where timedOut.withLockedValue({ $0 }):
                // A plaintext server reads our hello as the start of an inline command and waits for more.
                reason = "no TLS handshake within \(millis) ms: the node may speak plaintext on this port (use redis:// or leave out --tls)"
            case nil:
                reason = "the node closed the connection during the TLS handshake"
            }
            throw RedisClientError.tls(address: address, reason: reason)
        }
    }

    private func handshake(_ options: ConnectionOptions) async throws {
        // Without AUTH or HELLO there is nothing to wait for: the name rides on the first request.
        if options.password == nil && options.protocolVersion != 3 {
            preamble.withLockedValue { $0 = [["CLIENT", "SETNAME", options.clientName]] }
            return
        }
        var commands: [[String]] = []
        if options.protocolVersion == 3 {
            var hello = ["HELLO", "3"]
            if let password = options.password { hello += ["AUTH", options.user ?? "default", password] }
            commands.append(hello)
        } else if let password = options.password {
            commands.append(options.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        commands.append(["CLIENT", "SETNAME", options.clientName])
        let replies = try await send(commands)
        if let failure = replies.first?.errorMessage, commands.count > 1 {
            throw RedisClientError.authenticationFailed(user: options.user ?? "default", address: address, detail: sanitizedForDisplay(failure))
        }
        if let failure = replies.last?.errorMessage {
            // Naming the connection is a courtesy: a user without +client|setname still connects.
            if failure.hasPrefix("NOPERM") { return }
            // NOAUTH here means the node wants a password we were not given.
            if failure.hasPrefix("NOAUTH") {
                throw RedisClientError.authenticationFailed(
                    user: options.user ?? "default", address: address,
                    detail: "the node requires a password (set SHARDTOP_PASSWORD or use --password-file)"
                )
            }
            throw RedisClientError.unexpectedReply(sanitizedForDisplay(failure))
        }
    }

    /// Sends commands as one pipelined write and waits for all replies, or fails at the deadline.
    /// On a timeout the connection is closed: a late reply would otherwise be taken for the next request's.
    public func send(_ commands: [[String]], timeout: TimeAmount? = nil) async throws -> [RESPValue] {
        let leading = preamble.withLockedValue { value in defer { value = [] }; return value }
        return try await replies(to: begin(leading: leading, commands: commands, timeout: timeout))
    }

    /// Writes `leading` and `commands` as one pipelined request; callable from any thread.
    private func begin(leading: [[String]], commands: [[String]], timeout: TimeAmount?) -> InFlight {
        var buffer = channel.allocator.buffer(capacity: 64 * (commands.count + leading.count))
        for command in leading + commands { RESPEncoder.encode(command: command, into: &buffer) }
        return begin(encoded: buffer, replyCount: leading.count + commands.count, leading: leading.count, timeout: timeout)
    }

    /// The replies to a request begun here, without those of the commands sent ahead of it.
    public func replies(to inFlight: InFlight) async throws -> [RESPValue] {
        try withoutLeading(try await finish(inFlight), leading: inFlight.leading)
    }

    private func withoutLeading(_ replies: [RESPValue], leading: Int) throws -> [RESPValue] {
        guard leading > 0 else { return replies }
        if let failure = replies.first?.errorMessage, failure.hasPrefix("NOAUTH") {
            throw RedisClientError.authenticationFailed(
                user: options.user ?? "default", address: address,
                detail: "the node requires a password (set SHARDTOP_PASSWORD or use --password-file)"
            )
        }
        return Array(replies.dropFirst(leading))
    }

    /// A request encoded for this connection and not yet written (see `writeAndRead(_:)`): `start`,
    /// run on `eventLoop`, writes it and hands what its replies became to the closure it is given,
    /// on the loop, once.
    public struct Prepared<Reading: Sendable>: Sendable {
        public let eventLoop: any EventLoop
        fileprivate let start: @Sendable (_ deliver: @escaping @Sendable (Result<Reading, any Error>) -> Void) -> Void
    }

    /// Prepares `encoded` (`replyCount` commands) and how to read its replies: `reading` runs on
    /// the event loop the moment the replies are whole, so a caller polling many nodes reads each
    /// reply while the others are still on their way, and hops back once (`writeAndRead(_:)`).
    ///
    /// No promise or future: the handler calls back (`PipelinedRequest.Completion.callback`). The
    /// deadline is as `send`'s: it closes the channel, which fails the request, and reports the
    /// timeout; `DeliveredOnce` makes sure the caller hears exactly one outcome whichever comes first.
    public func prepare<Reading: Sendable>(encoded: ByteBuffer, replyCount: Int, timeout: TimeAmount? = nil,
                                           reading: @escaping @Sendable ([RESPValue]) throws -> Reading) -> Prepared<Reading> {
        let leading = preamble.withLockedValue { value in defer { value = [] }; return value }
        var buffer = encoded
        if !leading.isEmpty {
            buffer = channel.allocator.buffer(capacity: encoded.readableBytes + 64 * leading.count)
            for command in leading { RESPEncoder.encode(command: command, into: &buffer) }
            var rest = encoded
            buffer.writeBuffer(&rest)
        }
        let request = buffer
        let leadingCount = leading.count
        let deadline = timeout ?? requestTimeout
        let channel = self.channel
        let endReason = self.endReason
        let start: @Sendable (@escaping @Sendable (Result<Reading, any Error>) -> Void) -> Void = { [self] deliver in
            let once = DeliveredOnce(deliver)
            // A closed channel no longer reaches the handler, which alone would answer the request.
            guard channel.isActive else {
                once.deliver(.failure(self.translated(RedisClientError.connectionClosed)))
                return
            }
            let timer = Self.armDeadline(deadline, channel: channel, endReason: endReason) { once.deliver(.failure($0)) }
            let completion = PipelinedRequest.Completion.callback { result in
                timer.cancel()
                switch result {
                case .success(let replies):
                    once.deliver(Result { try reading(try self.withoutLeading(replies, leading: leadingCount)) })
                case .failure(let error):
                    once.deliver(.failure(self.translated(error)))
                }
            }
            // No write promise: a failed write closes the channel (NIO closes a stream channel on a
            // write error), and the close fails every request the handler holds; the deadline
            // answers for any write that fails otherwise.
            channel.writeAndFlush(PipelinedRequest(encoded: request, replyCount: leadingCount + replyCount, completion: completion), promise: nil)
        }
        return Prepared(eventLoop: channel.eventLoop, start: start)
    }

    /// Writes prepared requests and waits for what each one's replies became, in the order given.
    /// Each loop's requests are written in one hop to it, back to back, as a one-shot client
    /// writes them, rather than as each node's task gets a turn; each reading is collected on its
    /// loop as it completes, and the caller resumes once, when the last is in (awaiting each loop's
    /// futures in turn cost a hop to the loop and back per loop).
    public static func writeAndRead<Reading: Sendable>(_ requests: [Prepared<Reading>]) async -> [Result<Reading, any Error>] {
        guard !requests.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let collector = ReadingCollector<Reading>(count: requests.count, continuation: continuation)
            var byLoop: [ObjectIdentifier: (loop: any EventLoop, starts: [@Sendable () -> Void])] = [:]
            for (index, request) in requests.enumerated() {
                let start = request.start
                byLoop[ObjectIdentifier(request.eventLoop as AnyObject), default: (request.eventLoop, [])].starts.append {
                    start { collector.set(index, $0) }
                }
            }
            for (loop, starts) in byLoop.values { loop.execute { starts.forEach { $0() } } }
        }
    }

    /// Same as `send(_:)` for binary arguments (key names and values are bytes, not text).
    public func send(binary commands: [[[UInt8]]], timeout: TimeAmount? = nil) async throws -> [RESPValue] {
        let leading = preamble.withLockedValue { value in defer { value = [] }; return value }
        var buffer = channel.allocator.buffer(capacity: 64 * (commands.count + leading.count))
        for command in leading { RESPEncoder.encode(command: command, into: &buffer) }
        for command in commands { RESPEncoder.encode(command: command, into: &buffer) }
        let replies = try await finish(begin(encoded: buffer, replyCount: leading.count + commands.count, leading: leading.count, timeout: timeout))
        return Array(replies.dropFirst(leading.count))
    }

    private func begin(encoded: ByteBuffer, replyCount: Int, leading: Int, timeout: TimeAmount?) -> InFlight {
        let (inFlight, start) = prepared(encoded: encoded, replyCount: replyCount, leading: leading, timeout: timeout)
        if channel.eventLoop.inEventLoop { start() } else { channel.eventLoop.execute(start) }
        return inFlight
    }

    /// A request's replies and the closure that writes it, to run on the channel's event loop.
    private func prepared(encoded: ByteBuffer, replyCount: Int, leading: Int, timeout: TimeAmount?) -> (InFlight, @Sendable () -> Void) {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = PipelinedRequest(encoded: encoded, replyCount: replyCount, promise: promise)
        let deadline = timeout ?? requestTimeout
        let channel = self.channel
        let endReason = self.endReason
        // Everything on the event loop, in one hop: from another thread the write, arming the
        // deadline and cancelling it each woke the loop (three wake-ups per request; a tick of 30
        // nodes made 90, on 2 cores shared with the servers). The deadline is cancelled on the loop
        // as the promise completes, whoever completes it.
        let start: @Sendable () -> Void = {
            // The deadline is enforced on the event loop: closing the channel fails the promise,
            // so the promise has exactly one writer (the handler) and the caller is never left waiting.
            let timer = Self.armDeadline(deadline, channel: channel, endReason: endReason) { promise.fail($0) }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            channel.writeAndFlush(request).whenFailure { error in promise.fail(error) }
        }
        return (InFlight(replies: promise.futureResult, leading: leading), start)
    }

    /// A request's deadline, on the channel's event loop: when it passes, the channel is closed
    /// before the caller hears of the timeout, so a caller that then asks `isActive` (the MIGRATE
    /// re-check) sees it closed; the close fails the request as "closed", which `endReason` turns
    /// back into the timeout. Shared by `send`'s requests and prepared ones.
    private static func armDeadline(_ deadline: TimeAmount, channel: any Channel, endReason: NIOLockedValueBox<RedisClientError?>,
                                    timedOut: @escaping @Sendable (RedisClientError) -> Void) -> Scheduled<Void> {
        channel.eventLoop.scheduleTask(in: deadline) {
            let error = RedisClientError.timedOut(millis: Int(deadline.nanoseconds / 1_000_000))
            endReason.withLockedValue { if $0 == nil { $0 = error } }
            channel.close(promise: nil)
            timedOut(error)
        }
    }

    private func finish(_ inFlight: InFlight) async throws -> [RESPValue] {
        do {
            return try await inFlight.replies.get()
        } catch {
            throw translated(error)
        }
    }

    /// What a failed request's error means to the caller: a close caused by a timeout or a
    /// protocol violation reports that cause rather than "closed".
    private func translated(_ error: any Error) -> any Error {
        switch error {
        case RedisClientError.connectionClosed, is ChannelError:
            return endReason.withLockedValue { $0 } ?? RedisClientError.connectionClosed
        case let error as RESPProtocolError:
            return RedisClientError.protocolViolation(String(describing: error))
        default:
            return error
        }
    }

    public func close() {
        channel.close(promise: nil)
    }

    /// This connection while it is open; otherwise a new one to the same node with the same
    /// options. A request timeout closes the channel (see `send`), and the check that follows a
    /// failed MIGRATE still has to ask both nodes where the keys are.
    public func reopened() async throws -> RedisConnection {
        if isActive { return self }
        return try await Self.connect(to: address, options: options, group: channel.eventLoop)
    }

    /// "connection refused", not NIO's "connection reset (error set): Connection refused) (errno: 111)".
    static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let connect = error as? NIOConnectionError {
            return connect.connectionErrors.first.map { describe($0.error) } ?? "\(connect)"
        }
        return "\(error)"
    }
}

/// Hands a prepared request's outcome on once: the handler's answer or the deadline, whichever
/// comes first (the deadline's close also fails the request in the handler). Used on the
/// channel's event loop only, hence unchecked.
private final class DeliveredOnce<Reading: Sendable>: @unchecked Sendable {
    private var deliver: (@Sendable (Result<Reading, any Error>) -> Void)?

    init(_ deliver: @escaping @Sendable (Result<Reading, any Error>) -> Void) { self.deliver = deliver }

    func deliver(_ result: Result<Reading, any Error>) {
        guard let deliver else { return }
        self.deliver = nil
        deliver(result)
    }
}

/// Where `RedisConnection.writeAndRead` gathers its readings, from whichever loop each completes
/// on; the last one resumes the caller.
private final class ReadingCollector<Reading: Sendable>: Sendable {
    private let state: NIOLockedValueBox<(results: [Result<Reading, any Error>?], remaining: Int)>
    private let continuation: CheckedContinuation<[Result<Reading, any Error>], Never>

    init(count: Int, continuation: CheckedContinuation<[Result<Reading, any Error>], Never>) {
        state = NIOLockedValueBox((Array(repeating: nil, count: count), count))
        self.continuation = continuation
    }

    func set(_ index: Int, _ result: Result<Reading, any Error>) {
        let done: [Result<Reading, any Error>]? = state.withLockedValue { state in
            if case .some = state.results[index] { return nil }
            state.results[index] = result
            state.remaining -= 1
            return state.remaining == 0 ? state.results.map { $0! } : nil
        }
        if let done { continuation.resume(returning: done) }
    }
}
