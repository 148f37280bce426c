import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop plan`: how many primaries the data needs, and the moves adding them would take.
/// A dry run only: nothing is sent but reads (INFO, CLUSTER NODES, key counts per slot).
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Capacity planner: how many primaries the data needs, and the moves to add them (dry run).",
        discussion: """
        Reads used memory and keys per primary, and keys per slot (CLUSTER
        SLOT-STATS, or a sample of COUNTKEYSINSLOT), then says how many
        primaries hold the data within the budget: --target-memory (what one
        primary may use; default the smallest maxmemory) less --headroom
        percent. --add-primaries plans that many new primaries whatever the
        data needs. The moves are those `shardtop rebalance` plans once the new
        nodes have joined as empty primaries: slots, keys, bytes (keys x the
        owner's bytes per key) and a time from the migrate plan's estimate
        (legacy: 2 ms a slot + 60,000 keys/s; Valkey 9 atomic: 0.5 ms a slot
        + 400,000 keys/s). Nothing is changed.

        Examples:
          shardtop plan 127.0.0.1:7000 --headroom 30       (keep 30% free)
          shardtop plan 10.0.0.5:6379 --target-memory 4gb  (at most 4 GiB)
          shardtop plan 10.0.0.5:6379 --target-memory 8gb --headroom 25
          shardtop plan 10.0.0.5:6379 --add-primaries 2 --by memory
        Sizes as in redis.conf: 512mb, 4gb (x1024), 1g (x1000), or bytes.

        Exit status: 0 planned, 2 could not run (bad input, nothing
        reachable, no budget).

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("Memory one primary may use (default: the smallest maxmemory of the primaries).", valueName: "size"))
    var targetMemory: String?

    @Option(help: ArgumentHelp("Plan this many new primaries, whatever the data needs.", valueName: "n"))
    var addPrimaries: Int?

    @Option(help: ArgumentHelp("Percent of the budget to keep free.", valueName: "pct"))
    var headroom: Double?

    @Option(help: ArgumentHelp("What the moves even out, as rebalance --by: slots, keys or memory.", valueName: "metric"))
    var by: RebalanceMetric = .slots

    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        guard targetMemory != nil || addPrimaries != nil || headroom != nil else {
            throw ValidationError("give --target-memory SIZE, --add-primaries N or --headroom PCT (see shardtop plan --help)")
        }
        if let targetMemory {
            do { _ = try ByteSize.parse(targetMemory) } catch { throw ValidationError("--target-memory \(error.description)") }
        }
        try NumericOption.check(addPrimaries, "--add-primaries", 1...1000)
        try NumericOption.check(headroom, "--headroom", 0...99, unit: "percent")
    }

    func run() async throws {
        let (seeds, options) = try connection.resolve()
        let poller = ClusterPoller(seeds: seeds, options: options, lagThresholds: connection.lagThresholds)
        let snapshot: ClusterSnapshot
        do { snapshot = try await PollOnce.snapshot(poller: poller, settling: true) } catch {
            await poller.shutdown()
            throw error
        }
        let slotKeys = await SlotKeyCounter.count(snapshot: snapshot, poller: poller)
        await poller.shutdown()
        let goal = CapacityGoal(targetMemory: try targetMemory.map { try ByteSize.parse($0) }, addPrimaries: addPrimaries, headroomPercent: headroom)
        let plan: CapacityPlan
        do { plan = try CapacityPlanner.plan(snapshot, goal: goal, slotKeys: slotKeys, metric: by) } catch { throw fail(error.description) }
        print(CapacityPlanText.lines(plan, goal: goal, snapshot: snapshot, seed: seeds[0].description).map(TerminalSafe.line).joined(separator: "\n"))
    }
}

enum CapacityPlanText {
    static func lines(_ plan: CapacityPlan, goal: CapacityGoal, snapshot: ClusterSnapshot, seed: String) -> [String] {
        func name(_ id: String) -> String {
            if id.hasPrefix("new-primary-") { return "new primary \(id.dropFirst("new-primary-".count))" }
            return snapshot.node(id: id).map { "\($0.address)" } ?? String(id.prefix(8))
        }
        let average = plan.usedMemory / Int64(max(1, plan.primaries))
        var lines = ["cluster: \(plan.primaries) primaries, \(plan.keys) keys, \(ByteCount.text(plan.usedMemory)) used (\(ByteCount.text(average)) a primary on average)"
            + (plan.smallestMaxMemory.map { ", maxmemory \(ByteCount.text($0)) (smallest)" } ?? ", no maxmemory")]
        if let usable = plan.usableMemory, let needed = plan.needed {
            let budget = goal.targetMemory.map { "--target-memory \(ByteCount.text($0))" } ?? "maxmemory \(ByteCount.text(plan.smallestMaxMemory ?? 0))"
            let free = goal.headroomPercent.map { " less \(percentText($0))% headroom" } ?? ""
            lines.append("budget: \(budget)\(free) = \(ByteCount.text(usable)) of data a primary")
            let verdict = needed <= plan.primaries
                ? "the data fits in \(needed) primar\(needed == 1 ? "y" : "ies"); \(plan.primaries) today"
                : "the data needs \(needed) primaries; \(plan.primaries) today: add \(needed - plan.primaries)"
            lines.append("needed: \(verdict)")
        }
        guard plan.adding > 0 else {
            lines.append("nothing to add: no moves")
            return lines
        }
        lines.append("moves to add \(plan.adding) primar\(plan.adding == 1 ? "y" : "ies"), evened out by \(plan.metric.rawValue) (dry run: nothing is changed):")
        for move in plan.moves {
            let keys = move.keys.map { "\($0) keys" } ?? "keys not counted"
            let bytes = move.bytes.map { ByteCount.text($0) } ?? "bytes unknown"
            lines.append("  \(name(move.fromId)) -> \(name(move.toId)): \(move.slots.count) slots \(SnapshotDiff.describe(move.ranges)), \(keys), \(bytes), ~\(seconds(move.seconds)) (\(move.path.rawValue))")
        }
        let keys = plan.keysMoved.map { "\($0) keys" } ?? "keys not counted"
        let bytes = plan.bytesMoved.map { ByteCount.text($0) } ?? "bytes unknown"
        lines.append("total: \(plan.moves.count) moves, \(plan.slotsMoved) slots, \(keys), \(bytes), about \(seconds(plan.seconds)) one after another")
        lines.append("after: the fullest primary holds about \(ByteCount.text(plan.largestAfter))"
            + (plan.usableMemory.map { " (\(Int((Double(plan.largestAfter) / Double($0) * 100).rounded()))% of the budget)" } ?? ""))
        lines.append("to run: start the new nodes, join them as empty primaries (CLUSTER MEET), then `shardtop rebalance \(seed)\(plan.metric == .slots ? "" : " --by \(plan.metric.rawValue)")` (it shows the same moves first)")
        return lines
    }

    static func percentText(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : "\(value)"
    }

    static func seconds(_ value: Double) -> String {
        value < 60 ? "\((value * 10).rounded() / 10) s" : CapacityCheck.durationText(value)
    }
}
