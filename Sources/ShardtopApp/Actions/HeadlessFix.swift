import ArgumentParser
import ShardtopCore
import ShardtopRedis

/// `shardtop fix`: explain every open slot, then settle each in the direction chosen.
public enum HeadlessFix {
    /// `direction` is --resume or --rollback; nil asks per slot on the terminal.
    public static func run(direction given: RepairDirection?, settings: MigrationSettings, session: ActionSession) async throws {
        let choose = { () throws(ExitCode) -> RepairDirection? in try Self.choose(given, session) }
        let repairs = SlotRepair.find(session.snapshot)
        guard !repairs.isEmpty else {
            print("no open slots: nothing to fix")
            try await session.offerForgettingGhosts()
            await session.close()
            return
        }
        // Open slots are what fix repairs; anything else wrong comes first.
        let problems = ActionPreconditions.blockingProblems(forFixing: repairs, session.snapshot)
        if !problems.isEmpty { throw fail(ActionPreconditions.refusal(problems, snapshot: session.snapshot, action: "fix open slots"), code: ExitStatus.problemsFound) }
        let involved = repairs.flatMap { [$0.sourceId, $0.targetId] }.compactMap { session.snapshot.node(id: $0) }
        try await session.requirePermissions(ActionPermissions.touches(fixing: repairs, snapshot: session.snapshot),
                                             action: "fix", verb: "fix open slots", nodes: involved)
        print("\(repairs.count) open slot\(repairs.count == 1 ? "" : "s"):")
        // With no direction given and no terminal to ask on, say everything that is open before
        // refusing: stopping at the first slot hid the rest from the operator (and from a script's log).
        if given == nil && !session.interactive {
            Self.list(repairs, snapshot: session.snapshot)
            throw fail("pass --resume or --rollback (no terminal to ask on)")
        }
        let repairer = SlotRepairer(links: session.links, settings: settings)
        // Slots whose source failed over are settled together, in one direction: the target cannot
        // take keys (CLUSTERDOWN) until every one of them is re-pointed at its new owner, and a
        // re-pointed slot that was then skipped would hide its moved keys with no mark left to find.
        var groupDirection: RepairDirection?
        let failedOver = repairs.filter { $0.kind == .sourceFailedOver }
        if !failedOver.isEmpty {
            print("\(failedOver.count) of them lost their source to a failover; they are settled together:")
            print("  \(failedOver[0].explanation)")
            guard let direction = try choose() else {
                print("  skipped (all \(failedOver.count))")
                await session.close()
                return
            }
            do {
                let commands = try await repairer.alignTargets(failedOver, snapshot: session.snapshot)
                print("  re-pointed \(failedOver.count) slot\(failedOver.count == 1 ? "" : "s") on the target at the replica that took over")
                session.record("fix", nodes: [], commands: commands, outcome: .started,
                               detail: "\(failedOver.count) slots whose source failed over: target re-pointed at the new owner before \(direction.rawValue)")
            } catch {
                throw fail("re-pointing the target: \(error)", code: ExitStatus.problemsFound)
            }
            groupDirection = direction
        }
        for repair in repairs {
            let source = session.snapshot.node(id: repair.sourceId), target = session.snapshot.node(id: repair.targetId)
            print(Self.line(repair, snapshot: session.snapshot))
            if repair.kind != .sourceFailedOver { print("  \(repair.explanation)") }
            guard let direction = repair.kind == .sourceFailedOver ? groupDirection : try choose() else {
                print("  skipped")
                continue
            }
            let nodes = [source, target].compactMap { $0 }
            do {
                let result = try await repairer.settle(repair, direction: direction, snapshot: session.snapshot)
                print("  \(direction.rawValue): slot \(repair.slot) settled, \(result.keysMoved) keys moved")
                session.record("fix", nodes: nodes, commands: result.commands, outcome: .succeeded, detail: "slot \(repair.slot) \(repair.kind.rawValue): \(direction.rawValue), \(result.keysMoved) keys moved")
            } catch {
                session.record("fix", nodes: nodes, commands: [], outcome: .failed, detail: "slot \(repair.slot): \(error)")
                throw fail("slot \(repair.slot): \(error)", code: ExitStatus.problemsFound)
            }
        }
        await session.close()
    }

    /// Enough to see what is open at a glance; past it a count (`shardtop check` lists every mark).
    public static let listCap = 100

    public static func list(_ repairs: [SlotRepair], snapshot: ClusterSnapshot) {
        for repair in repairs.prefix(listCap) { print(line(repair, snapshot: snapshot)) }
        if repairs.count > listCap { print("... and \(repairs.count - listCap) more open slots (\(repairs.count) in all)") }
    }

    public static func line(_ repair: SlotRepair, snapshot: ClusterSnapshot) -> String {
        func name(_ id: String) -> String { snapshot.node(id: id).map { "\($0.address)" } ?? "?" }
        return "slot \(repair.slot) [\(repair.kind.rawValue)] \(name(repair.sourceId)) -> \(name(repair.targetId))"
    }

    private static func choose(_ given: RepairDirection?, _ session: ActionSession) throws(ExitCode) -> RepairDirection? {
        switch given {
        case .resume: return try session.confirm("  resume?") ? .resume : nil
        case .rollback: return try session.confirm("  roll back?") ? .rollback : nil
        case nil: break
        }
        guard session.interactive else { throw fail("pass --resume or --rollback (no terminal to ask on)") }
        print("  [r]esume, roll [b]ack, or [s]kip? ", terminator: "")
        flushOutput()
        switch readLine()?.lowercased() {
        case "r", "resume": return .resume
        case "b", "rollback", "back": return .rollback
        default: return nil
        }
    }
}
