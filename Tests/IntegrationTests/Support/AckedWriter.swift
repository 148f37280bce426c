import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import Testing
import ShardtopCore
import ShardtopRedis

/// Keys whose hash slot is known: "{tag}n", with one tag per slot found by scanning "t0", "t1", ...
enum SlotKeys {
    /// tags[slot] hashes to `slot`. About 170k CRC16s, computed once per test process.
    static let tags: [String] = {
        var tags = [String?](repeating: nil, count: hashSlotCount)
        var missing = hashSlotCount
        var n = 0
        while missing > 0 {
            let tag = "t\(n)"
            let slot = HashSlot.of(tag)
            if tags[slot] == nil {
                tags[slot] = tag
                missing -= 1
            }
            n += 1
        }
        return tags.map { $0! }
    }()

    static func key(slot: Int, index: Int) -> String { "{\(tags[slot])}\(index)" }

    static func keys(slots: [Int], perSlot: Int) -> [String] {
        slots.flatMap { slot in (0..<perSlot).map { key(slot: slot, index: $0) } }
    }
}

/// A cluster-aware client that writes `SET key <increasing number>` to chosen keys for as long as it
/// runs, and remembers, per key, the last value a node acknowledged with OK. It follows MOVED (and
/// updates its slot map) and ASK (ASKING, then the command on the named node), and retries on
/// TRYAGAIN, CLUSTERDOWN and connection errors. `verify()` reads every key back and names each key
/// whose value is not the last acknowledged one: a lost acknowledged write.
///
/// A write whose connection failed is retried with the same value (SET is idempotent), so a value
/// that may or may not have been applied can only be followed by the same value being acknowledged;
/// if the writer stops before that, the value is kept as "uncertain" and accepted by `verify()`.
actor AckedWriter {
    struct Lost: CustomStringConvertible, Sendable {
        var key: String
        var acked: Int?
        var found: String?
        var description: String { "\(key): acked \(acked.map(String.init) ?? "nothing"), read \(found ?? "nil")" }
    }

    struct Stats: Sendable, CustomStringConvertible {
        var acks = 0
        var moved = 0
        var ask = 0
        var tryAgain = 0
        var clusterDown = 0
        var connectionErrors = 0
        var otherErrors: [String] = []
        var description: String {
            "acks \(acks), MOVED \(moved), ASK \(ask), TRYAGAIN \(tryAgain), CLUSTERDOWN \(clusterDown), connection errors \(connectionErrors), other \(otherErrors.count)\(otherErrors.isEmpty ? "" : " e.g. \(otherErrors.prefix(3))")"
        }
    }

    let seeds: [NodeAddress]
    let keys: [String]
    private let options: ConnectionOptions
    private var slotMap = [NodeAddress?](repeating: nil, count: hashSlotCount)
    private var connections: [NodeAddress: RedisConnection] = [:]
    private var acked: [String: Int] = [:]
    private var uncertain: [String: Set<Int>] = [:]
    private var counter = 0
    private var running = false
    private var lanes: [Task<Void, Never>] = []
    private(set) var stats = Stats()

    init(seeds: [NodeAddress], keys: [String], requestTimeout: TimeAmount = .seconds(5), tls: TLSClient? = nil) {
        self.seeds = seeds
        self.keys = keys
        self.options = ConnectionOptions(connectTimeout: .milliseconds(1000), requestTimeout: requestTimeout, clientName: "acked-writer", tls: tls)
    }

    init(seed: NodeAddress, slots: [Int], keysPerSlot: Int, tls: TLSClient? = nil) {
        self.init(seeds: [seed], keys: SlotKeys.keys(slots: slots, perSlot: keysPerSlot), tls: tls)
    }

    var ackCount: Int { stats.acks }
    func lastAck(_ key: String) -> Int? { acked[key] }

    // MARK: - Running

    /// Writes every key once, pipelined per owner (fast), recording the acknowledgements.
    func preload(batch: Int = 500) async {
        await refreshSlotMap()
        var byOwner: [NodeAddress: [String]] = [:]
        var unmapped: [String] = []
        for key in keys {
            if let owner = slotMap[HashSlot.of(key)] { byOwner[owner, default: []].append(key) } else { unmapped.append(key) }
        }
        for (owner, ownerKeys) in byOwner {
            for start in stride(from: 0, to: ownerKeys.count, by: batch) {
                let chunk = Array(ownerKeys[start..<min(start + batch, ownerKeys.count)])
                let values = chunk.map { _ in nextValue() }
                var retry: [(String, Int)] = []
                do {
                    let connection = try await connection(owner)
                    let replies = try await connection.send(zip(chunk, values).map { ["SET", $0, "\($1)"] })
                    for (index, reply) in replies.enumerated() {
                        if reply.string == "OK" { ack(chunk[index], values[index]) } else { retry.append((chunk[index], values[index])) }
                    }
                } catch {
                    drop(owner)
                    for (key, value) in zip(chunk, values) { uncertain[key, default: []].insert(value); retry.append((key, value)) }
                }
                for (key, value) in retry { _ = await write(key, value, mustFinish: true) }
            }
        }
        for key in unmapped { _ = await write(key, nextValue(), mustFinish: true) }
    }

    /// Starts `lanes` concurrent write loops over disjoint shares of the keys.
    func start(lanes laneCount: Int = 2) async {
        await refreshSlotMap()
        running = true
        let count = max(1, min(laneCount, keys.count))
        for lane in 0..<count {
            let mine = stride(from: lane, to: keys.count, by: count).map { keys[$0] }
            lanes.append(Task { await self.loop(mine) })
        }
    }

    /// Stops the loops (each finishes its write in flight) and waits for them.
    func stop() async {
        running = false
        for lane in lanes { await lane.value }
        lanes.removeAll()
    }

    /// Waits until at least `count` more writes have been acknowledged, or `seconds` pass.
    func waitForAcks(_ count: Int, seconds: Double = 10) async -> Bool {
        let goal = stats.acks + count
        let deadline = Date().addingTimeInterval(seconds)
        while stats.acks < goal && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return stats.acks >= goal
    }

    func close() async {
        await stop()
        for connection in connections.values { connection.close() }
        connections.removeAll()
    }

    private func loop(_ mine: [String]) async {
        var index = 0
        while running {
            _ = await write(mine[index % mine.count], nextValue(), mustFinish: false)
            index += 1
        }
    }

    private func nextValue() -> Int {
        counter += 1
        return counter
    }

    private func ack(_ key: String, _ value: Int) {
        acked[key] = value
        uncertain[key] = nil
        stats.acks += 1
    }

    // MARK: - One command, following the cluster

    /// Runs one command for `key`, following redirects and retrying transient errors.
    /// Returns the final reply, or nil when it gave up (stopped, or out of attempts).
    private func execute(_ command: [String], key: String, mustFinish: Bool, onConnectionError: () -> Void = {}) async -> RESPValue? {
        let slot = HashSlot.of(key)
        var target = slotMap[slot]
        var asking = false
        var attempt = 0
        while attempt < 400 {
            attempt += 1
            // A stopping writer abandons only writes that never reached a node (see `write`).
            if !running && !mustFinish && attempt > 1 { return nil }
            if target == nil {
                await refreshSlotMap()
                target = slotMap[slot]
                if target == nil { try? await Task.sleep(for: .milliseconds(50)); continue }
            }
            let address = target!
            let reply: RESPValue
            do {
                let connection = try await connection(address)
                let replies = try await connection.send(asking ? [["ASKING"], command] : [command])
                reply = replies[replies.count - 1]
            } catch {
                stats.connectionErrors += 1
                onConnectionError()
                drop(address)
                try? await Task.sleep(for: .milliseconds(50))
                await refreshSlotMap()
                target = slotMap[slot]
                asking = false
                continue
            }
            asking = false
            guard let error = reply.errorMessage else { return reply }
            if error.hasPrefix("MOVED ") || error.hasPrefix("ASK ") {
                let parts = error.split(separator: " ")
                guard parts.count >= 3, let moved = Self.address(String(parts[2]), default: address) else {
                    stats.otherErrors.append(error)
                    return reply
                }
                if error.hasPrefix("MOVED ") {
                    stats.moved += 1
                    slotMap[slot] = moved
                } else {
                    stats.ask += 1
                    asking = true
                }
                target = moved
                continue
            }
            if error.hasPrefix("TRYAGAIN") {
                stats.tryAgain += 1
                try? await Task.sleep(for: .milliseconds(10))
            } else if error.hasPrefix("CLUSTERDOWN") {
                stats.clusterDown += 1
                try? await Task.sleep(for: .milliseconds(50))
                await refreshSlotMap()
                target = slotMap[slot]
            } else if error.hasPrefix("LOADING") || error.hasPrefix("MASTERDOWN") || error.hasPrefix("READONLY") {
                stats.otherErrors.append(error)
                try? await Task.sleep(for: .milliseconds(50))
                await refreshSlotMap()
                target = slotMap[slot]
            } else {
                stats.otherErrors.append(error)
                return reply
            }
        }
        return nil
    }

    /// SET key value until a node says OK. Error replies mean "not applied"; a connection error
    /// means "maybe applied", so the same value is retried and remembered as uncertain.
    private func write(_ key: String, _ value: Int, mustFinish: Bool) async -> Bool {
        var reached = false
        let reply = await execute(["SET", key, "\(value)"], key: key, mustFinish: mustFinish) {
            reached = true
        }
        if reached { uncertain[key, default: []].insert(value) }
        if reply?.string == "OK" {
            ack(key, value)
            return true
        }
        if reached && reply == nil {
            // Keep trying: the value may be on a node, and the next value must not overtake it.
            let retried = await execute(["SET", key, "\(value)"], key: key, mustFinish: true)
            if retried?.string == "OK" { ack(key, value); return true }
        }
        return false
    }

    // MARK: - Reading back

    /// GET with redirects followed: the value, or nil when the key does not exist.
    func read(_ key: String) async -> String? {
        let reply = await execute(["GET", key], key: key, mustFinish: true)
        if let error = reply?.errorMessage { return "<error \(error)>" }
        return reply?.string
    }

    /// Every key whose value is not its last acknowledged value (or an uncertain one sent after it).
    /// Reads are pipelined per owner; a key whose owner redirects is read again on its own.
    func verify() async -> [Lost] {
        await refreshSlotMap()
        var found: [String: String?] = [:]
        var byOwner: [NodeAddress: [String]] = [:]
        var single: [String] = []
        for key in keys {
            if let owner = slotMap[HashSlot.of(key)] { byOwner[owner, default: []].append(key) } else { single.append(key) }
        }
        for (owner, ownerKeys) in byOwner {
            for start in stride(from: 0, to: ownerKeys.count, by: 500) {
                let chunk = Array(ownerKeys[start..<min(start + 500, ownerKeys.count)])
                guard let connection = try? await connection(owner),
                      let replies = try? await connection.send(chunk.map { ["GET", $0] }) else {
                    drop(owner)
                    single += chunk
                    continue
                }
                for (key, reply) in zip(chunk, replies) {
                    switch reply {
                    case .bulkString, .simpleString: found[key] = .some(reply.string)
                    case .null: found[key] = .some(nil)
                    default: single.append(key)
                    }
                }
            }
        }
        for key in single { found[key] = .some(await read(key)) }
        var lost: [Lost] = []
        for key in keys {
            let value = found[key] ?? nil
            let expected = acked[key]
            if value == expected.map(String.init) { continue }
            if let value, let number = Int(value), uncertain[key]?.contains(number) == true { continue }
            lost.append(Lost(key: key, acked: expected, found: value))
        }
        return lost
    }

    // MARK: - Slot map and connections

    /// The slot map from CLUSTER SLOTS of the first node that answers.
    func refreshSlotMap() async {
        let candidates = seeds + Array(Set(slotMap.compactMap { $0 })).sorted()
        for address in candidates {
            guard let connection = try? await connection(address),
                  let reply = try? await connection.send([["CLUSTER", "SLOTS"]]).first,
                  let ranges = reply.array, !ranges.isEmpty else {
                drop(address)
                continue
            }
            for range in ranges {
                guard let fields = range.array, fields.count >= 3,
                      let start = fields[0].int, let end = fields[1].int,
                      let primary = fields[2].array, primary.count >= 2,
                      let port = primary[1].int else { continue }
                let host = primary[0].string.flatMap { $0.isEmpty ? nil : $0 } ?? address.host
                let owner = NodeAddress(host: host, port: Int(port))
                for slot in Int(start)...Int(end) { slotMap[slot] = owner }
            }
            return
        }
    }

    private func connection(_ address: NodeAddress) async throws -> RedisConnection {
        if let existing = connections[address], existing.isActive { return existing }
        let made = try await RedisConnection.connect(to: address, options: options)
        if let raced = connections[address], raced.isActive {
            made.close()
            return raced
        }
        connections[address] = made
        return made
    }

    private func drop(_ address: NodeAddress) {
        connections.removeValue(forKey: address)?.close()
    }

    static func address(_ text: String, default fallback: NodeAddress) -> NodeAddress? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        let host = String(text[..<colon])
        return NodeAddress(host: host.isEmpty ? fallback.host : host, port: port)
    }
}

/// Thread-safe box for values recorded from @Sendable closures.
final class Recorded<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ new: Value) { lock.withLock { value = new } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&value) } }
}

/// `redis-cli --cluster check`, the independent judge of open slots and coverage. Like the servers,
/// a missing redis-cli fails the test under CI=true and skips it elsewhere.
enum RedisCLI {
    static func path(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/redis-cli"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let message = "redis-cli not found (install: apt-get install -y redis-server)"
        if TestServers.isCI {
            Issue.record(Comment(rawValue: message + "; CI=true requires it"), sourceLocation: sourceLocation)
        } else {
            print("SKIPPED: \(message)")
        }
        return nil
    }

    struct Check: CustomStringConvertible {
        var output: String
        var openSlotWarnings: [String] {
            output.split(separator: "\n").map(String.init).filter { $0.contains("[WARNING]") }
        }
        var fullCoverage: Bool { output.contains("[OK] All 16384 slots covered") }
        var clean: Bool { openSlotWarnings.isEmpty && fullCoverage && !output.contains("[ERR]") }
        var description: String { output }
    }

    /// Runs the check until it is clean or `seconds` pass (gossip needs a moment to converge).
    static func check(_ seed: NodeAddress, seconds: Double = 10) async throws -> Check? {
        guard let binary = path() else { return nil }
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let output = try await offPool { try runTool(binary, ["--cluster", "check", "\(seed.host):\(seed.port)"]) }
            let check = Check(output: output)
            if check.clean || Date() > deadline { return check }
            try await Task.sleep(for: .milliseconds(300))
        }
    }

    /// redis-cli, through the same posix_spawn path as CLI.run (see there why not Foundation's Process).
    static func runTool(_ binary: String, _ arguments: [String]) throws -> String {
        let result = try CLI.run(blocking: arguments, timeoutSeconds: 120, program: binary)
        return result.output + result.errorOutput
    }
}

/// The shardtop binary as a child we can signal: CLI.run waits for the exit and hides the pid.
final class SpawnedCLI: Sendable {
    private let child: BackgroundChild

    init(_ arguments: [String]) throws {
        child = try BackgroundChild(program: CLI.binaryPath, arguments: arguments, separateErrors: false)
    }

    var pid: Int32 { child.pid }
    var isRunning: Bool { child.isRunning }
    func kill9() { child.kill9() }

    func wait(seconds: Double) async -> Int32? {
        guard let status = await child.waitForExit(seconds: seconds) else { kill9(); return nil }
        return status
    }

    var output: String { child.output }
}
