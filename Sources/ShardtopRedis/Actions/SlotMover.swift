import NIOCore
import ShardtopCore

/// Moves the keys of open slots from one node to another and settles ownership. It is shared by the
/// legacy migration and by `fix`, and it holds the one rule that keeps keys safe: ownership is
/// finalised only after the source is re-counted at zero keys in that slot (see `finalise`).
struct SlotMover {
    let source: RedisConnection
    let target: RedisConnection
    let sourceId: String
    let targetId: String
    /// Keys per GETKEYSINSLOT / MIGRATE batch.
    let batchKeys: Int
    /// MIGRATE's own timeout, in milliseconds, for one batch.
    let migrateTimeoutMillis: Int
    /// Overwrite keys the target already has even when their values differ (operator confirmed).
    let replaceConflicts: Bool
    /// Prefix each MIGRATE with ASKING: needed when the source no longer owns the slot (rollbacks).
    let asking: Bool
    let auth: (user: String?, password: String?)
    var commandLog: CommandLog

    /// Moves every key of `slots` from source to target. Returns the number of keys moved.
    /// Stops with an error (never finalising) on BUSYKEY with different values, a MIGRATE error or a timeout.
    /// `listed`: the replies of a GETKEYSINSLOT for `slots` already sent (pipelined behind the
    /// SETSLOT MIGRATING that opened them), which saves the first round trip.
    mutating func drain(_ slots: [Int], listed: [RESPValue]? = nil) async throws -> Int {
        var pending = slots
        var moved = 0
        var lastListing: [Int: [[UInt8]]] = [:]
        var listing = listed
        while !pending.isEmpty {
            let replies: [RESPValue]
            if let listing, listing.count == pending.count {
                replies = listing
            } else {
                replies = try await source.run("GETKEYSINSLOT", listCommands(pending))
                commandLog.add("CLUSTER GETKEYSINSLOT <slot> \(batchKeys)", count: pending.count)
            }
            listing = nil
            var batches: [(slot: Int, keys: [[UInt8]])] = []
            for (slot, reply) in zip(pending, replies) {
                if let error = reply.errorMessage { throw ActionError.refused(step: "GETKEYSINSLOT \(slot)", node: source.address, reply: error) }
                let keys = (reply.array ?? []).compactMap(Self.bytes)
                if !keys.isEmpty { batches.append((slot, keys)) }
            }
            if batches.isEmpty { break }
            let listedKeys = Dictionary(uniqueKeysWithValues: batches.map { ($0.slot, $0.keys) })
            // The next listing rides behind the MIGRATEs in the same request (the source runs them in
            // order, so it sees what is left after them): one round trip per pass instead of two.
            let (movedNow, next) = try await migrate(batches, replace: false)
            // A pass that moved nothing and sees the same keys again would loop forever (keys that
            // MIGRATE answers NOKEY for, say): stop with the slot open instead.
            if movedNow == 0, listedKeys == lastListing, let stuck = batches.first {
                throw await recheckFailure(slot: stuck.slot, reason: "no progress: \(stuck.keys.count) keys stay on the source after MIGRATE")
            }
            lastListing = listedKeys
            moved += movedNow
            pending = batches.map(\.slot)
            listing = next
        }
        return moved
    }

    func listCommands(_ slots: [Int]) -> [[String]] {
        slots.map { ["CLUSTER", "GETKEYSINSLOT", "\($0)", "\(batchKeys)"] }
    }

    /// One pipelined request of MIGRATE commands, one per slot batch, followed (except while
    /// resolving a BUSYKEY) by a GETKEYSINSLOT of each batch's slot, whose replies come back as the
    /// next listing. The listing is nil when a BUSYKEY was resolved after it was read (the
    /// resolution moved keys it still lists).
    private mutating func migrate(_ batches: [(slot: Int, keys: [[UInt8]])], replace: Bool, resolvingBusy: Bool = false) async throws -> (moved: Int, listing: [RESPValue]?) {
        let thenList = !resolvingBusy
        var commands: [[[UInt8]]] = []
        for batch in batches {
            if asking { commands.append([Array("ASKING".utf8)]) }
            commands.append(migrateCommand(batch.keys, replace: replace))
        }
        let migrateCount = commands.count
        if thenList {
            commands += listCommands(batches.map(\.slot)).map { $0.map { Array($0.utf8) } }
            commandLog.add("CLUSTER GETKEYSINSLOT <slot> \(batchKeys)", count: batches.count)
        }
        commandLog.add("MIGRATE \(target.address.host) \(target.address.port) \"\" 0 \(migrateTimeoutMillis)\(replace ? " REPLACE" : "")\(auth.password != nil ? " AUTH2 <user> <redacted>" : "") KEYS <batch>", count: batches.count)
        let timeout = TimeAmount.milliseconds(Int64(migrateTimeoutMillis * max(2, batches.count) + 5000))
        let replies: [RESPValue]
        do {
            replies = try await source.send(binary: commands, timeout: timeout)
        } catch {
            // A timeout leaves each key on either side, or both: re-check and stop, never finalise on doubt.
            throw await recheckFailure(slot: batches[0].slot, reason: "\(error)")
        }
        let migrateReplies = Array(replies.prefix(migrateCount))
        let forBatches = asking ? stride(from: 1, to: migrateReplies.count, by: 2).map { migrateReplies[$0] } : migrateReplies
        var moved = 0
        var resolved = false
        for (batch, reply) in zip(batches, forBatches) {
            guard let error = reply.errorMessage else {
                if reply.string == "OK" { moved += batch.keys.count }
                continue
            }
            // MIGRATE wraps the target's reply: "ERR Target instance replied with error: BUSYKEY ..."
            // (redis 7.0.15 and valkey 9.1.2), so the code is found inside the message, not at its start.
            if error.contains("BUSYKEY") {
                // Once only: a BUSYKEY while resolving one means the target changed under us.
                if resolvingBusy { throw ActionError.busyKeys(slot: batch.slot, keys: batch.keys.map { String(decoding: $0, as: UTF8.self) }) }
                moved += try await resolveBusyKeys(slot: batch.slot, keys: batch.keys)
                resolved = true
            } else {
                throw await recheckFailure(slot: batch.slot, reason: error)
            }
        }
        return (moved, thenList && !resolved ? Array(replies.dropFirst(migrateCount)) : nil)
    }

    private func migrateCommand(_ keys: [[UInt8]], replace: Bool) -> [[UInt8]] {
        var command: [[UInt8]] = ["MIGRATE", target.address.host, "\(target.address.port)", "", "0", "\(migrateTimeoutMillis)"].map { Array($0.utf8) }
        if replace { command.append(Array("REPLACE".utf8)) }
        if let password = auth.password {
            command += ["AUTH2", auth.user ?? "default", password].map { Array($0.utf8) }
        }
        command.append(Array("KEYS".utf8))
        return command + keys
    }

    /// BUSYKEY: some keys exist on both sides. Equal values are moved with REPLACE (nothing changes);
    /// different values stop the migration and name the keys, unless the operator confirmed REPLACE.
    private mutating func resolveBusyKeys(slot: Int, keys: [[UInt8]]) async throws -> Int {
        // Which of the batch's keys are still on the source, and which of those the target has.
        let stillHere = try await source.run("EXISTS on source", binary: keys.flatMap { key -> [[[UInt8]]] in
            (asking ? [[Array("ASKING".utf8)]] : []) + [[Array("EXISTS".utf8), key]]
        })
        let remaining = zip(keys, asking ? stride(from: 1, to: stillHere.count, by: 2).map { stillHere[$0] } : stillHere)
            .filter { $0.1.int == 1 }.map(\.0)
        let dumps = try await dump(remaining, on: target)
        let conflicting = remaining.filter { dumps[$0] != nil }
        let sourceDumps = try await dump(conflicting, on: source)
        var equal: [[UInt8]] = []
        var different: [[UInt8]] = []
        for key in conflicting {
            if let a = sourceDumps[key], let b = dumps[key], Self.sameValue(a, b) { equal.append(key) } else { different.append(key) }
        }
        if !different.isEmpty && !replaceConflicts {
            throw ActionError.busyKeys(slot: slot, keys: different.map { String(decoding: $0, as: UTF8.self) })
        }
        var moved = 0
        var overwrite = replaceConflicts ? different : []
        if asking {
            // Sending keys back to a live owner (fix): the owner's copy is the one clients write to,
            // so an equal copy here is dropped rather than written over the owner's (a client write
            // between the comparison and a REPLACE would be lost). Nobody writes this copy: clients
            // only reach it through ASK, which the owner sends for keys it does not have.
            if !equal.isEmpty {
                let replies = try await source.run("DEL duplicate", binary: equal.flatMap { [[Array("ASKING".utf8)], [Array("DEL".utf8), $0]] })
                if let error = replies.compactMap(\.errorMessage).first { throw ActionError.refused(step: "DEL duplicate", node: source.address, reply: error) }
                commandLog.add("DEL <key equal on both sides>", count: equal.count)
                moved += equal.count
            }
        } else {
            overwrite += equal
        }
        let plain = remaining.filter { key in !conflicting.contains(key) }
        if !overwrite.isEmpty { moved += try await migrate([(slot, overwrite)], replace: true, resolvingBusy: true).moved }
        if !plain.isEmpty { moved += try await migrate([(slot, plain)], replace: false, resolvingBusy: true).moved }
        return moved
    }

    /// DUMP payloads end with a 2-byte RDB version and an 8-byte checksum; the value is what precedes
    /// them, so equal values on two server versions still compare equal.
    static func sameValue(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count > 10, b.count > 10 else { return a == b }
        return a.dropLast(10).elementsEqual(b.dropLast(10))
    }

    /// Dumps keys on a node (ASKING first, so it also works on a node that is importing the slot).
    private func dump(_ keys: [[UInt8]], on node: RedisConnection) async throws -> [[UInt8]: [UInt8]] {
        guard !keys.isEmpty else { return [:] }
        let replies = try await node.run("DUMP", binary: keys.flatMap { [[Array("ASKING".utf8)], [Array("DUMP".utf8), $0]] })
        var result: [[UInt8]: [UInt8]] = [:]
        for (index, key) in keys.enumerated() {
            let reply = replies[index * 2 + 1]
            // An error (NOPERM, say) must not read as "the key is absent": that would loop back into BUSYKEY.
            if let error = reply.errorMessage { throw ActionError.refused(step: "DUMP", node: node.address, reply: error) }
            if case .bulkString(let payload) = reply { result[key] = payload }
        }
        return result
    }

    /// After a MIGRATE failure: count both sides so the operator knows where the keys are.
    /// The request that failed may have closed the connection (a timeout does), so each side is
    /// asked on a fresh one when needed; a count that still cannot be read is reported as unknown.
    private func recheckFailure(slot: Int, reason: String) async -> ActionError {
        func count(on connection: RedisConnection) async -> Int64? {
            guard let live = try? await connection.reopened() else { return nil }
            defer { if live !== connection { live.close() } }
            return try? await live.send([["CLUSTER", "COUNTKEYSINSLOT", "\(slot)"]], timeout: .seconds(5)).first?.int
        }
        let sourceCount = await count(on: source)
        let targetCount = await count(on: target)
        return .migrateFailed(slot: slot, reason: reason, sourceKeys: sourceCount.map { Int($0) }, targetKeys: targetCount.map { Int($0) })
    }

    /// Opens `slots`: IMPORTING on the target first (so a client the source sends there with ASK is
    /// served), then MIGRATING on the source, with the first GETKEYSINSLOT of each slot behind it in the
    /// same request. Returns that listing, for `drain(_:listed:)`.
    mutating func open(_ slots: [Int]) async throws -> [RESPValue] {
        try await target.expectOK("SETSLOT IMPORTING on target", importingCommands(slots))
        commandLog.add("CLUSTER SETSLOT <slot> IMPORTING \(sourceId) (target)", count: slots.count)
        let replies = try await source.run("SETSLOT MIGRATING on source", migratingCommands(slots) + listCommands(slots))
        logOpenedOnSource(slots)
        return try openedOnSource(slots, replies)
    }

    /// Gives `slots` to the target: TARGET first (so it serves the slot before anyone is told),
    /// then the source and every other primary at once. The checks run first and are the reason
    /// this is safe: if the source still holds any key in a slot, nothing is finalised (see
    /// `FinaliseChecks`, which also holds the epoch guard and, with `recheckMarks`, the re-read of
    /// both nodes' marks).
    ///
    /// `next`, when not empty, is opened in the same requests: IMPORTING on the target right behind
    /// its SETSLOT NODE, MIGRATING on the source right behind its own, then the first GETKEYSINSLOT
    /// of `next`, whose replies are returned. The order of IMPORTING before MIGRATING is kept (the
    /// target's request completes before the source's is sent), and a node saves its nodes.conf
    /// once for both steps instead of once for each.
    ///
    /// The other primaries are told in the background: `othersTold` ends with their notes. Waiting
    /// for them held every round back by the slowest of N-2 servers (each saving its nodes.conf),
    /// up to 40 ms a round on 2 busy cores, while nothing that follows depends on them: they would
    /// learn by gossip anyway, and their requests stay in order behind each other per connection.
    mutating func finalise(_ slots: [Int], others: [RedisConnection], recheckMarks: Bool, opening next: [Int] = []) async throws -> (othersTold: Task<[String], Never>, listing: [RESPValue]) {
        try await FinaliseChecks.run(slots, source: source, sourceId: sourceId, target: target, targetId: targetId, recheckMarks: recheckMarks)
        commandLog.add("CLUSTER COUNTKEYSINSLOT <slot> (finalise guard)", count: slots.count)
        commandLog.add(recheckMarks ? "CLUSTER NODES (epoch guard, re-check before finalise)" : "CLUSTER NODES (epoch guard)", count: 2)
        let toTarget = slots.map { ["CLUSTER", "SETSLOT", "\($0)", "NODE", targetId] }
        let claims = Self.claimCommands(slots, targetId: targetId)
        let targetReplies = try await target.run("SETSLOT NODE on target", claims + importingCommands(next))
        for (index, reply) in targetReplies.enumerated() {
            if let error = reply.errorMessage {
                throw ActionError.refused(step: index < claims.count ? "SETSLOT NODE on target" : "SETSLOT IMPORTING on target", node: target.address, reply: error)
            }
        }
        commandLog.add("CLUSTER SETSLOT <slot> STABLE (target, before its NODE)", count: claims.count - slots.count)
        commandLog.add("CLUSTER SETSLOT <slot> NODE \(targetId)", count: slots.count * (2 + others.count))
        commandLog.add("CLUSTER SETSLOT <slot> IMPORTING \(sourceId) (target)", count: next.count)
        // Other primaries learn by gossip anyway; telling them directly just makes redirects right
        // sooner. The target owns the slots already, so they are told while the source is.
        let othersTold = Task { await Self.tell(others, commands: toTarget) }
        let listing = try await finaliseOnSource(slots, opening: next)
        logOpenedOnSource(next)
        return (othersTold, listing)
    }

    /// The target's claim of `slots`, in one request. On the node that imports a slot, each
    /// SETSLOT NODE to itself bumps its config epoch unless it already holds the highest, and
    /// broadcasts a PONG to every node (redis 7.0.15 and valkey 9.1.2): with 62 slots a round in a
    /// 30-node lab, 1,800 messages that every node had to read, and the source answered its own
    /// SETSLOT NODE 30-40 ms late behind them (valkey: the target's request took 480 ms, against
    /// 180 ms this way). So only the first and the last slot keep their IMPORTING mark when
    /// claimed: the first bumps the epoch before anything is claimed, so every claim after it
    /// carries an epoch above the source's (the epoch guard made sure the target knows that one);
    /// the slots between are made STABLE right before their NODE, in the same request (their keys
    /// are all here, the finalise guard counted zero on the source), and are claimed without a
    /// message; the last one broadcasts the whole new slot set once.
    static func claimCommands(_ slots: [Int], targetId: String) -> [[String]] {
        var commands: [[String]] = []
        commands.reserveCapacity(slots.count * 2)
        for (index, slot) in slots.enumerated() {
            if index > 0, index < slots.count - 1 { commands.append(["CLUSTER", "SETSLOT", "\(slot)", "STABLE"]) }
            commands.append(["CLUSTER", "SETSLOT", "\(slot)", "NODE", targetId])
        }
        return commands
    }

    private static func tell(_ others: [RedisConnection], commands: [[String]]) async -> [String] {
        await withTaskGroup(of: String?.self, returning: [String].self) { group in
            for node in others {
                group.addTask {
                    do {
                        let replies = try await node.send(commands, timeout: .seconds(5))
                        return replies.compactMap(\.errorMessage).first.map { "\(node.address) answered \($0) to SETSLOT NODE (gossip will correct it)" }
                    } catch {
                        return "\(node.address) missed SETSLOT NODE: \(error) (gossip will correct it)"
                    }
                }
            }
            var notes: [String] = []
            for await note in group { if let note { notes.append(note) } }
            return notes
        }
    }

    /// SETSLOT NODE on the source (then the opening of `next`). Refused because the source has
    /// already become a replica (its last slot reached it by gossip first) is the expected end of a
    /// drain: the target owns the slots, and the migrator says what became of the source. Any
    /// primary may be the one it follows when several moves drain it at once.
    private func finaliseOnSource(_ slots: [Int], opening next: [Int]) async throws -> [RESPValue] {
        let toSource = slots.map { ["CLUSTER", "SETSLOT", "\($0)", "NODE", targetId] }
        let replies = try await source.run("SETSLOT NODE on source", toSource + migratingCommands(next) + listCommands(next))
        if let error = replies.prefix(slots.count).compactMap(\.errorMessage).first {
            let demoted = next.isEmpty ? await SourceDemotion.isReplica(source) : false
            if !demoted { throw ActionError.refused(step: "SETSLOT NODE on source", node: source.address, reply: error) }
        }
        return try openedOnSource(next, Array(replies.dropFirst(slots.count)))
    }

    private func importingCommands(_ slots: [Int]) -> [[String]] {
        slots.map { ["CLUSTER", "SETSLOT", "\($0)", "IMPORTING", sourceId] }
    }

    private func migratingCommands(_ slots: [Int]) -> [[String]] {
        slots.map { ["CLUSTER", "SETSLOT", "\($0)", "MIGRATING", targetId] }
    }

    private mutating func logOpenedOnSource(_ slots: [Int]) {
        commandLog.add("CLUSTER SETSLOT <slot> MIGRATING \(targetId) (source)", count: slots.count)
        commandLog.add("CLUSTER GETKEYSINSLOT <slot> \(batchKeys)", count: slots.count)
    }

    /// Checks the MIGRATING replies of an opening request and returns its GETKEYSINSLOT replies.
    private func openedOnSource(_ slots: [Int], _ replies: [RESPValue]) throws -> [RESPValue] {
        if let error = replies.prefix(slots.count).compactMap(\.errorMessage).first {
            throw ActionError.refused(step: "SETSLOT MIGRATING on source", node: source.address, reply: error)
        }
        return Array(replies.dropFirst(slots.count))
    }

    static func bytes(_ value: RESPValue) -> [UInt8]? {
        switch value {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }
}

/// The premature-finalise guard: SETSLOT NODE while the source still holds keys in the slot makes
/// the source delete them. Every finalise goes through this check, which re-counts on the source.
public enum FinaliseGuard {
    public static func check(_ slots: [Int], on source: RedisConnection) async throws {
        let counts = try await source.run("finalise guard (COUNTKEYSINSLOT)", commands(slots))
        try evaluate(slots, counts: counts, source: source.address)
    }

    static func commands(_ slots: [Int]) -> [[String]] {
        slots.map { ["CLUSTER", "COUNTKEYSINSLOT", "\($0)"] }
    }

    /// Throws unless every count reads zero: a count that cannot be read is not a zero.
    static func evaluate(_ slots: [Int], counts: [RESPValue], source: NodeAddress) throws {
        guard counts.count == slots.count else {
            throw ActionError.refused(step: "finalise guard (COUNTKEYSINSLOT)", node: source, reply: "\(counts.count) counts for \(slots.count) slots")
        }
        for (slot, reply) in zip(slots, counts) {
            guard let count = reply.int else {
                throw ActionError.refused(step: "finalise guard (COUNTKEYSINSLOT \(slot))", node: source, reply: reply.errorMessage ?? "no count")
            }
            if count > 0 { throw ActionError.keysLeftOnSource(slot: slot, keys: Int(count)) }
        }
    }
}

/// The epoch guard: SETSLOT NODE makes the target claim the slot with its config epoch, which the
/// server bumps only when the target does not already hold the highest epoch *it knows of*. If the
/// target has not yet heard the source's latest epoch (the source has just imported a slot, e.g. this
/// very slot moved straight back), its claim can carry a lower epoch than a message the source sent
/// before giving the slot up; on receiving that message the target hands the slot back and deletes
/// the keys it holds in it (a "dirty slot"), while the source believes the target owns it: keys lost,
/// slot uncovered. Reproduced on redis 7.0.15 (ActionRepairTests, rollback of two slots). So the
/// target must first know the source's current epoch; then its bump puts it above the source.
public enum EpochGuard {
    public static func waitUntilTargetKnowsEpoch(
        of sourceId: String, source: RedisConnection, target: RedisConnection, timeout: Duration = .seconds(5)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let own = try await epoch(of: sourceId, on: source)
            let seen = try await epoch(of: sourceId, on: target)
            if let own, let seen, seen >= own { return }
            if ContinuousClock.now > deadline {
                throw ActionError.timedOut("\(target.address) has not learned the config epoch of \(source.address) (\(own.map(String.init) ?? "?"), seen \(seen.map(String.init) ?? "?")) within \(timeout); not finalised, the slot is left open for `shardtop fix`")
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    static func epoch(of id: String, on node: RedisConnection) async throws -> Int64? {
        try epoch(of: id, in: try await node.run("CLUSTER NODES (epoch guard)", [["CLUSTER", "NODES"]])[0], node: node.address)
    }

    /// The config epoch that a CLUSTER NODES reply gives the node `id`.
    static func epoch(of id: String, in reply: RESPValue, node: NodeAddress) throws -> Int64? {
        if let error = reply.errorMessage { throw ActionError.refused(step: "CLUSTER NODES (epoch guard)", node: node, reply: error) }
        guard let text = reply.string, let entries = try? ClusterNodesParser.parse(text) else { return nil }
        return entries.first { $0.id == id }.map { Int64($0.configEpoch) }
    }
}

/// Commands sent, kept as templates with counts for the journal and the outcome.
struct CommandLog: Sendable {
    private(set) var order: [String] = []
    private(set) var counts: [String: Int] = [:]

    mutating func add(_ template: String, count: Int = 1) {
        guard count > 0 else { return }
        if counts[template] == nil { order.append(template) }
        counts[template, default: 0] += count
    }

    var lines: [String] { order.map { "\($0) x\(counts[$0]!)" } }
}
