import ShardtopApp
import Foundation
import NIOCore
import ShardtopCore
import ShardtopRedis

/// The data and the checks of `bench migrate`: keys chosen per slot (a hash tag per slot, so every
/// slot gets the same number of keys, which `redis-benchmark --cluster` cannot do), a fast pipelined
/// load over one connection per primary, and the loud checks after every run (no open slot, full
/// coverage, the expected owner of every slot, the key count unchanged).
struct BenchMigrateCluster {
    let seed: NodeAddress
    let poller: ClusterPoller
    let cliPath: String
    let workDirectory: String
    let expectedNodes: Int
    /// One connection per primary address (the lab's primaries never change role during the bench).
    private(set) var connections: [NodeAddress: RedisConnection] = [:]
    /// The action connections of tool W, kept across its runs as a dashboard keeps them.
    let links = ActionLinks(options: ConnectionOptions())

    static let connectionOptions = ConnectionOptions(connectTimeout: .seconds(2), requestTimeout: .seconds(120), clientName: "shardtop-bench")

    init(seed: NodeAddress, poller: ClusterPoller, cliPath: String, workDirectory: String, expectedNodes: Int) {
        self.seed = seed
        self.poller = poller
        self.cliPath = cliPath
        self.workDirectory = workDirectory
        self.expectedNodes = expectedNodes
    }

    mutating func connect(_ primaries: [NodeAddress]) async throws {
        for address in primaries where connections[address] == nil {
            connections[address] = try await RedisConnection.connect(to: address, options: Self.connectionOptions)
        }
    }

    /// CONFIG SET cluster-slot-migration-log-max-len on every connected primary (see --migration-log-length).
    func setMigrationLogLength(_ length: Int) async throws {
        for (address, connection) in connections {
            let reply = try await connection.send([["CONFIG", "SET", "cluster-slot-migration-log-max-len", "\(length)"]])
            if let error = reply.first?.errorMessage { throw BenchFailure("CONFIG SET cluster-slot-migration-log-max-len on \(address): \(error)") }
        }
    }

    func close() {
        for connection in connections.values { connection.close() }
    }

    // MARK: - Data

    /// For each slot, a hash tag whose CRC16 lands in it: keys "{tag}:n" all live in that slot.
    static func tagsPerSlot() -> [String] {
        var tags = [String?](repeating: nil, count: hashSlotCount)
        var missing = hashSlotCount
        var candidate = 0
        while missing > 0 {
            let tag = "t" + String(candidate, radix: 36)
            let slot = HashSlot.of(tag)
            if tags[slot] == nil {
                tags[slot] = tag
                missing -= 1
            }
            candidate += 1
        }
        return tags.map { $0! }
    }

    /// Writes `keysPerSlot` keys into every slot, one MSET per slot (its keys share the slot's hash
    /// tag, so MSET is legal in a cluster), pipelined in batches over one connection per primary,
    /// every primary at once. Returns the number of keys written.
    func load(owners: SlotOwners, addressOf: [String: NodeAddress], keysPerSlot: Int, slotsPerBatch: Int = 32) async throws -> Int {
        let tags = Self.tagsPerSlot()
        for (index, tag) in tags.enumerated() where HashSlot.of("{\(tag)}:0") != index {
            throw BenchFailure("internal: tag \(tag) does not map to slot \(index)")
        }
        var slotsByPrimary: [NodeAddress: [Int]] = [:]
        for slot in 0..<hashSlotCount {
            guard let owner = owners[slot], let address = addressOf[owner] else { throw BenchFailure("slot \(slot) has no owner before the load") }
            slotsByPrimary[address, default: []].append(slot)
        }
        let value = Array("value-0123456789".utf8)
        let mset = Array("MSET".utf8)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for (address, slots) in slotsByPrimary {
                guard let connection = connections[address] else { throw BenchFailure("no connection to \(address)") }
                group.addTask {
                    var written = 0
                    for start in stride(from: 0, to: slots.count, by: slotsPerBatch) {
                        try Task.checkCancellation()
                        var commands: [[[UInt8]]] = []
                        for slot in slots[start..<min(start + slotsPerBatch, slots.count)] {
                            var command: [[UInt8]] = [mset]
                            command.reserveCapacity(1 + 2 * keysPerSlot)
                            let prefix = "{\(tags[slot])}:"
                            for n in 0..<keysPerSlot {
                                command.append(Array((prefix + String(n)).utf8))
                                command.append(value)
                            }
                            commands.append(command)
                        }
                        let replies = try await connection.send(binary: commands)
                        if let error = replies.compactMap(\.errorMessage).first { throw BenchFailure("MSET on \(address): \(error)") }
                        written += commands.count * keysPerSlot
                    }
                    return written
                }
            }
            var total = 0
            for try await written in group { total += written }
            return total
        }
    }

    /// DBSIZE summed over the primaries.
    func totalKeys() async throws -> Int {
        var total = 0
        for (address, connection) in connections {
            let reply = try await connection.send([["DBSIZE"]])
            guard let count = reply.first?.int else { throw BenchFailure("DBSIZE on \(address): \(reply.first?.errorMessage ?? "no count")") }
            total += Int(count)
        }
        return total
    }

    /// Keys in `slots` on one node (COUNTKEYSINSLOT, pipelined).
    func keys(in slots: [Int], on address: NodeAddress) async throws -> Int {
        guard let connection = connections[address] else { throw BenchFailure("no connection to \(address)") }
        let replies = try await connection.send(slots.map { ["CLUSTER", "COUNTKEYSINSLOT", "\($0)"] })
        var total = 0
        for (slot, reply) in zip(slots, replies) {
            guard let count = reply.int else { throw BenchFailure("COUNTKEYSINSLOT \(slot) on \(address): \(reply.errorMessage ?? "no count")") }
            total += Int(count)
        }
        return total
    }

    // MARK: - Server-side profile

    /// CONFIG RESETSTAT on every primary, so the next run's INFO commandstats is its own.
    func resetStats() async throws {
        for (address, connection) in connections {
            let reply = try await connection.send([["CONFIG", "RESETSTAT"]])
            if let error = reply.first?.errorMessage { throw BenchFailure("CONFIG RESETSTAT on \(address): \(error)") }
        }
    }

    /// Calls and microseconds per command (INFO commandstats) summed over the primaries, for the
    /// commands a migration sends (and the RESTORE-ASKING that MIGRATE sends to the target per key).
    func migrationCommandStats() async throws -> [String: (calls: Int, micros: Int)] {
        let wanted: Set<String> = ["migrate", "restore-asking", "cluster|setslot", "cluster|getkeysinslot", "cluster|countkeysinslot",
                                   "cluster|migrateslots", "cluster|getslotmigrations", "cluster|syncslots", "asking"]
        var totals: [String: (calls: Int, micros: Int)] = [:]
        for connection in connections.values {
            guard let text = try await connection.send([["INFO", "commandstats"]]).first?.string else { continue }
            for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[line.index(line.startIndex, offsetBy: 8)..<colon]).lowercased()
                guard wanted.contains(name) else { continue }
                var calls = 0
                var micros = 0
                for field in line[line.index(after: colon)...].split(separator: ",") {
                    let parts = field.split(separator: "=")
                    guard parts.count == 2, let value = Int(parts[1]) else { continue }
                    if parts[0] == "calls" { calls = value } else if parts[0] == "usec" { micros = value }
                }
                let old = totals[name] ?? (0, 0)
                totals[name] = (old.calls + calls, old.micros + micros)
            }
        }
        return totals
    }

    static func describe(_ stats: [String: (calls: Int, micros: Int)]) -> String {
        stats.sorted { $0.value.micros > $1.value.micros }
            .map { "\($0.key) \($0.value.calls)x \(String(format: "%.0f", Double($0.value.micros) / 1000)) ms" }
            .joined(separator: ", ")
    }

    // MARK: - Checks

    /// Waits until the cluster is settled as expected, or throws naming what is wrong after `seconds`:
    /// every node ok, all nodes agree, no open slot, every slot owned by `expectedOwners`, and
    /// `redis-cli --cluster check` reporting full coverage, agreement and nothing open.
    func waitSettled(expectedOwners: SlotOwners, after what: String, seconds: Int = 60) async throws -> ClusterSnapshot {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var lastProblem = ""
        while true {
            try Task.checkCancellation()
            let (snapshot, _) = await poller.tick()
            if let problem = settleProblem(snapshot, expectedOwners: expectedOwners) {
                lastProblem = problem
            } else if let problem = try await cliCheckProblem() {
                lastProblem = "redis-cli --cluster check: \(problem)"
            } else {
                return snapshot
            }
            if ContinuousClock.now > deadline {
                throw BenchFailure("after \(what), the cluster did not settle within \(seconds) s: \(lastProblem)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func settleProblem(_ snapshot: ClusterSnapshot, expectedOwners: SlotOwners) -> String? {
        if let problem = BenchSnapshotCommand.problem(snapshot, expected: expectedNodes) { return problem }
        if let open = snapshot.openSlots.first {
            return "\(snapshot.openSlots.count) open slot mark(s), e.g. slot \(open.slot) \(open.state.rawValue) on \(open.node.prefix(8))"
        }
        if !snapshot.disagreeingNodes.isEmpty { return "\(snapshot.disagreeingNodes.count) node(s) disagree about slot ownership" }
        if snapshot.slotsCovered != hashSlotCount { return "only \(snapshot.slotsCovered) of \(hashSlotCount) slots covered" }
        let wrong = (0..<hashSlotCount).filter { snapshot.slotOwners[$0] != expectedOwners[$0] }
        if let first = wrong.first {
            return "\(wrong.count) slot(s) not owned as expected, e.g. slot \(first) owned by \(snapshot.slotOwners[first]?.prefix(8) ?? "nobody"), expected \(expectedOwners[first]?.prefix(8) ?? "nobody")"
        }
        return nil
    }

    /// nil when `redis-cli --cluster check` is clean: exit 0, all nodes agree, all slots covered,
    /// no [WARNING] (open slots are warnings) and no [ERR].
    func cliCheckProblem() async throws -> String? {
        let stdoutPath = "\(workDirectory)/check.out"
        let stderrPath = "\(workDirectory)/check.err"
        let outcome = try await BenchMigrateProcess.run(cliPath, ["--cluster", "check", seed.description], stdoutPath: stdoutPath, stderrPath: stderrPath)
        let text = outcome.output
        if !outcome.succeeded { return "\(outcome.ending): \(BenchMigrateProcess.lastLine(outcome, stderrPath: stderrPath))" }
        if let bad = text.split(separator: "\n").first(where: { $0.contains("[ERR]") || $0.contains("[WARNING]") }) {
            return String(bad)
        }
        if !text.contains("[OK] All nodes agree about slots configuration.") { return "no agreement line" }
        if !text.contains("[OK] All \(hashSlotCount) slots covered.") { return "not all \(hashSlotCount) slots covered" }
        return nil
    }
}

/// Valkey 9's atomic slot migration driven by hand, as the reference for shardtop's atomic path:
/// one CLUSTER MIGRATESLOTS for the whole range, then CLUSTER GETSLOTMIGRATIONS every millisecond
/// until the new export job reports success. The connection is opened before the clock starts.
enum BenchRawMigrateSlots {
    struct Outcome {
        var elapsed: Duration
        var polls: Int
    }

    static func run(source: RedisConnection, ranges: [SlotRange], targetId: String) async throws -> Outcome {
        let before = Set(try await jobs(on: source).map(\.name))
        var command = ["CLUSTER", "MIGRATESLOTS", "SLOTSRANGE"]
        for range in ranges { command += ["\(range.start)", "\(range.end)"] }
        command += ["NODE", targetId]
        let started = ContinuousClock.now
        let reply = try await source.send([command])
        if let error = reply.first?.errorMessage { throw BenchFailure("\(command.joined(separator: " ")): \(error)") }
        var polls = 0
        let deadline = started + .seconds(600)
        while ContinuousClock.now < deadline {
            try Task.checkCancellation()
            polls += 1
            if let job = try await jobs(on: source).first(where: { !before.contains($0.name) }) {
                switch job.state {
                case "success":
                    return Outcome(elapsed: ContinuousClock.now - started, polls: polls)
                case "failed", "cancelled", "canceled":
                    throw BenchFailure("raw MIGRATESLOTS job \(job.name) (\(job.slotRanges)) ended \(job.state): \(job.message)")
                default:
                    break
                }
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw BenchFailure("raw MIGRATESLOTS job did not finish within 600 s")
    }

    static func jobs(on source: RedisConnection) async throws -> [SlotMigrationJob] {
        let reply = try await source.send([["CLUSTER", "GETSLOTMIGRATIONS"]])[0]
        if let error = reply.errorMessage { throw BenchFailure("CLUSTER GETSLOTMIGRATIONS on \(source.address): \(error)") }
        return SlotMigrationJob.parse(reply)
    }
}
