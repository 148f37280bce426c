import Foundation
import ShardtopCore

/// What another actor (a second operator, redis-cli, a script) may be doing on the nodes an
/// action is about to touch, read from the nodes themselves right before acting: a snapshot from
/// a second ago is not enough when two operators press Enter at the same moment.
enum OtherActivity {
    /// Refuses when a slot is open on either node, or an atomic migration job is still running
    /// there. Nothing has been sent yet when this throws.
    /// With `source` and `slots`: the source must still own every slot (another operator may have
    /// moved them since our snapshot), or SETSLOT IMPORTING would open a slot nobody finishes.
    static func checkIdle(_ nodes: [RedisConnection], source: RedisConnection? = nil, slots: [Int] = []) async throws {
        for node in nodes {
            let replies = try await node.run("check for other operations", [["CLUSTER", "NODES"], ["CLUSTER", "GETSLOTMIGRATIONS"]])
            if node === source, let myself = try myself(replies[0], on: node) {
                let owned = IndexSet(myself.slots.flatMap { Array($0.start...$0.end) })
                if let lost = slots.first(where: { !owned.contains($0) }) {
                    throw ActionError.otherOperation(node: node.address, what: "it no longer owns slot \(lost) (moved since the plan was made, by someone else?); plan again")
                }
            }
            if let open = try myOpenSlots(replies[0], on: node).first {
                throw ActionError.otherOperation(node: node.address, what: "slot \(open.slot) is already \(open.direction == .migrating ? "migrating to" : "importing from") \(open.peerID.prefix(8)) (another migration is in progress, or an interrupted one: `shardtop fix`)")
            }
            // An error reply means the server has no atomic migration (Redis, Valkey before 9.0).
            if replies[1].errorMessage == nil,
               let running = SlotMigrationJob.parse(replies[1]).first(where: { !Self.finishedStates.contains($0.state.lowercased()) }) {
                throw ActionError.otherOperation(node: node.address, what: "an atomic migration job of slots \(sanitizedForDisplay(running.slotRanges)) is \(sanitizedForDisplay(running.state))")
            }
        }
    }

    /// Before finalising a round: every slot must still be open exactly as we opened it, MIGRATING
    /// on the source to our target and IMPORTING on the target from our source. Anything else
    /// means someone else changed the slot, and finalising would fight them over the keys.
    static func checkStillOurs(_ slots: [Int], source: RedisConnection, sourceId: String, target: RedisConnection, targetId: String) async throws {
        let onSource = try await source.run("re-check before finalise", [["CLUSTER", "NODES"]])[0]
        let onTarget = try await target.run("re-check before finalise", [["CLUSTER", "NODES"]])[0]
        try checkStillOurs(slots, sourceNodes: onSource, source: source, sourceId: sourceId, targetNodes: onTarget, target: target, targetId: targetId)
    }

    /// The same check on CLUSTER NODES replies already read from both nodes.
    static func checkStillOurs(_ slots: [Int], sourceNodes: RESPValue, source: RedisConnection, sourceId: String,
                               targetNodes: RESPValue, target: RedisConnection, targetId: String) throws {
        let onSource = try myOpenSlots(sourceNodes, on: source)
        let onTarget = try myOpenSlots(targetNodes, on: target)
        for slot in slots {
            let out = onSource.first { $0.slot == slot }
            let into = onTarget.first { $0.slot == slot }
            guard let out, out.direction == .migrating, out.peerID == targetId else {
                let now = out.map { "now \($0.direction) with \($0.peerID.prefix(8))" } ?? "no longer open"
                throw ActionError.otherOperation(node: source.address, what: "slot \(slot) was changed by someone else (\(now)); not finalised, run `shardtop fix` once they are done")
            }
            guard let into, into.direction == .importing, into.peerID == sourceId else {
                throw ActionError.otherOperation(node: target.address, what: "slot \(slot) is no longer importing from the source (someone else changed it); not finalised, run `shardtop fix` once they are done")
            }
        }
    }

    static let finishedStates: Set<String> = ["success", "failed", "cancelled", "canceled"]

    private static func myOpenSlots(_ reply: RESPValue, on node: RedisConnection) throws -> [OpenSlotMark] {
        try myself(reply, on: node)?.openSlots ?? []
    }

    private static func myself(_ reply: RESPValue, on node: RedisConnection) throws -> TopologyEntry? {
        guard let text = reply.string else {
            throw ActionError.refused(step: "CLUSTER NODES", node: node.address, reply: reply.errorMessage ?? "no reply")
        }
        let entries: [TopologyEntry]
        do { entries = try ClusterNodesParser.parse(text) } catch {
            throw ActionError.refused(step: "CLUSTER NODES", node: node.address, reply: "unreadable: \(error)")
        }
        return entries.first { $0.flags.contains(.myself) }
    }
}
