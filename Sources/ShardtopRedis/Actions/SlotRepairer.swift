import ShardtopCore

/// Settles one open slot in the direction the operator chose, ending with one owner holding every
/// key and no MIGRATING/IMPORTING mark left on either node. Two shapes cover every case:
/// - the loser still owns the slot: an ordinary one-slot migration loser -> winner (guarded finalise);
/// - the winner already owns it: keys that reached the loser are sent back with ASKING + MIGRATE,
///   the winner's mark is cleared so clients stop being sent to the loser, the loser is drained
///   again, re-counted at zero, and only then told who owns the slot.
public struct SlotRepairer: Sendable {
    public let links: ActionLinks
    public let settings: MigrationSettings

    public init(links: ActionLinks, settings: MigrationSettings = MigrationSettings()) {
        self.links = links
        self.settings = settings
    }

    public struct Result: Sendable {
        public var keysMoved: Int
        public var commands: [String]
        public var notes: [String]
    }

    public func settle(_ repair: SlotRepair, direction: RepairDirection, snapshot: ClusterSnapshot) async throws -> Result {
        let winnerId = direction == .resume ? repair.targetId : repair.sourceId
        let loserId = direction == .resume ? repair.sourceId : repair.targetId
        guard let winner = snapshot.node(id: winnerId), let loser = snapshot.node(id: loserId) else {
            throw ActionError.refused(step: "fix slot \(repair.slot)", node: snapshot.node(id: winnerId)?.address ?? NodeAddress(host: "?", port: 0),
                                      reply: "a node of this open slot is no longer in the cluster view")
        }
        let others = snapshot.primaries.filter { !$0.isUnknownSeed && $0.isReachable && $0.id != winnerId && $0.id != loserId }.map(\.address)
        var result: Result
        let runner = MigrationRunner(links: links, settings: settings, refuseOpenSlots: false)
        func move(from source: SnapshotNode, to target: SnapshotNode) async throws -> MigrationOutcome {
            var plan = MigrationPlanner.plan(source: source, target: target, slots: [repair.slot])
            plan.path = .legacy
            plan.pathReason = "fix always uses the legacy steps, which can pick up a half-done move"
            return try await runner.run(plan, primaries: others + [winner.address, loser.address]) { _ in }
        }
        if repair.ownerId == loserId {
            let outcome = try await move(from: loser, to: winner)
            result = Result(keysMoved: outcome.keysMoved, commands: outcome.commands, notes: outcome.notes)
        } else if direction == .rollback, repair.kind == .interruptedMove || repair.kind == .migratingOnly {
            // The owner still marks the slot MIGRATING, so it answers ASK to every key sent back to it
            // (MIGRATE fails with "ASK <slot>"), and clearing the mark first would let clients write new
            // copies beside the ones on the target. So the move is finished with the live-safe legacy
            // steps, and the slot is then moved back the same way: the source ends with every key.
            let forward = try await move(from: winner, to: loser)
            let back = try await move(from: loser, to: winner)
            result = Result(keysMoved: forward.keysMoved + back.keysMoved, commands: forward.commands + back.commands,
                            notes: forward.notes + back.notes)
        } else {
            result = try await sendBack(slot: repair.slot, from: loser, to: winner)
        }
        // Both nodes end without marks for this slot; STABLE changes no ownership and moves no key.
        for node in [winner, loser] {
            let connection = try await links.connection(node.address)
            try await connection.expectOK("SETSLOT STABLE", [["CLUSTER", "SETSLOT", "\(repair.slot)", "STABLE"]])
        }
        result.commands.append("CLUSTER SETSLOT \(repair.slot) STABLE x2")
        return result
    }

    /// For slots whose source failed over: tells each target that the replica which took over owns
    /// the slot, replacing its IMPORTING mark that names the dead source. A node importing a slot
    /// ignores other nodes' claims to it, so the target still names the dead node as owner, counts
    /// the slot as failed and answers CLUSTERDOWN to the keys a repair would send it. It is not the
    /// owner in its own view, so it keeps whatever keys it already holds in the slot (a node only
    /// drops keys of a slot it owned). `settle` then moves the slot either way with fresh marks.
    public func alignTargets(_ repairs: [SlotRepair], snapshot: ClusterSnapshot) async throws -> [String] {
        var log = CommandLog()
        for repair in repairs where repair.kind == .sourceFailedOver {
            guard let owner = repair.ownerId, let target = snapshot.node(id: repair.targetId) else { continue }
            let connection = try await links.connection(target.address)
            try await connection.expectOK("SETSLOT NODE (new owner) on \(target.address)", [["CLUSTER", "SETSLOT", "\(repair.slot)", "NODE", owner]])
            log.add("CLUSTER SETSLOT <slot> NODE \(owner) (target re-pointed)")
        }
        return log.lines
    }

    private func sendBack(slot: Int, from loser: SnapshotNode, to winner: SnapshotNode) async throws -> Result {
        let loserLink = try await links.connection(loser.address)
        let winnerLink = try await links.connection(winner.address)
        var log = CommandLog()
        // The loser must accept ASKING for this slot: mark it importing from the owner. A loser that
        // still believes it owns the slot refuses; then it serves its keys without ASKING anyway.
        let marked = try await loserLink.run("SETSLOT IMPORTING on \(loser.address)", [["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", winner.id]])
        log.add("CLUSTER SETSLOT \(slot) IMPORTING \(winner.id)")
        if let error = marked[0].errorMessage, !error.contains("owner") {
            throw ActionError.refused(step: "SETSLOT IMPORTING", node: loser.address, reply: error)
        }
        var mover = SlotMover(
            source: loserLink, target: winnerLink, sourceId: loser.id, targetId: winner.id,
            batchKeys: settings.batchKeys, migrateTimeoutMillis: settings.migrateTimeoutMillis,
            replaceConflicts: settings.replaceConflicts, asking: true,
            auth: (await links.user, await links.password), commandLog: log
        )
        var moved = try await mover.drain([slot])
        // Stop the owner sending clients to the loser, then pick up keys written there meanwhile.
        try await winnerLink.expectOK("SETSLOT STABLE on owner", [["CLUSTER", "SETSLOT", "\(slot)", "STABLE"]])
        moved += try await mover.drain([slot])
        try await FinaliseGuard.check([slot], on: loserLink)
        try await loserLink.expectOK("SETSLOT NODE on \(loser.address)", [["CLUSTER", "SETSLOT", "\(slot)", "NODE", winner.id]])
        mover.commandLog.add("CLUSTER SETSLOT \(slot) NODE \(winner.id)")
        return Result(keysMoved: moved, commands: mover.commandLog.lines, notes: [])
    }
}
