import ShardtopCore
import ShardtopRedis

/// `shardtop plan`: how many primaries the data needs, and the moves adding them would take. A dry run.
public enum HeadlessPlan {
    public static func run(seeds: [NodeAddress], options: ConnectionOptions, lag: LagThresholds, goal: CapacityGoal, metric by: RebalanceMetric) async throws {
        let poller = ClusterPoller(seeds: seeds, options: options, lagThresholds: lag)
        let snapshot: ClusterSnapshot
        do { snapshot = try await PollOnce.snapshot(poller: poller, settling: true) } catch {
            await poller.shutdown()
            throw error
        }
        let slotKeys = await SlotKeyCounter.count(snapshot: snapshot, poller: poller)
        await poller.shutdown()
        let plan: CapacityPlan
        do { plan = try CapacityPlanner.plan(snapshot, goal: goal, slotKeys: slotKeys, metric: by) } catch { throw fail(error.description) }
        print(CapacityPlanText.lines(plan, goal: goal, snapshot: snapshot, seed: seeds[0].description).map(TerminalSafe.line).joined(separator: "\n"))
    }
}

public enum CapacityPlanText {
    public static func lines(_ plan: CapacityPlan, goal: CapacityGoal, snapshot: ClusterSnapshot, seed: String) -> [String] {
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
