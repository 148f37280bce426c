import ShardtopCore

/// Why an action stopped. Every case leaves the cluster in a state `shardtop fix` understands,
/// and every description is one line that says what happened and what is left.
public enum ActionError: Error, Hashable, CustomStringConvertible {
    /// A step's command was refused by a node.
    case refused(step: String, node: NodeAddress, reply: String)
    /// A node could not be reached or did not answer in time.
    case unreachable(step: String, node: NodeAddress, reason: String)
    /// The target already holds these keys with different values; nothing was overwritten.
    case busyKeys(slot: Int, keys: [String])
    /// MIGRATE failed or timed out; both sides were re-counted and the slot was left open.
    case migrateFailed(slot: Int, reason: String, sourceKeys: Int?, targetKeys: Int?)
    /// The finalise guard found keys still on the source: finalising would have deleted them.
    case keysLeftOnSource(slot: Int, keys: Int)
    /// The atomic path reported a failure for a job.
    case atomicJobFailed(ranges: String, state: String, message: String)
    case cancelled
    case timedOut(String)
    /// Another actor is in the middle of something on a node this action would touch; nothing was sent.
    case otherOperation(node: NodeAddress, what: String)

    public var description: String {
        switch self {
        case .refused(let step, let node, let reply):
            "\(step) refused by \(node): \(sanitizedForDisplay(reply))"
        case .unreachable(let step, let node, let reason):
            "\(step): \(node) \(reason)"
        case .busyKeys(let slot, let keys):
            "slot \(slot): the target already has \(keys.count) key\(keys.count == 1 ? "" : "s") with different values: \(keys.prefix(5).map { sanitizedForDisplay($0, limit: 60) }.joined(separator: ", "))\(keys.count > 5 ? ", ..." : ""); stopped without overwriting (rerun with --replace to overwrite, or fix the keys by hand); the slot is left open for `shardtop fix`"
        case .migrateFailed(let slot, let reason, let sourceKeys, let targetKeys):
            "slot \(slot): MIGRATE failed (\(sanitizedForDisplay(reason))); re-checked: source holds \(sourceKeys.map(String.init) ?? "?") keys, target \(targetKeys.map(String.init) ?? "?"); not finalised, the slot is left open for `shardtop fix`"
        case .keysLeftOnSource(let slot, let keys):
            "slot \(slot): the source still holds \(keys) key\(keys == 1 ? "" : "s"); refusing to finalise (it would delete them)"
        case .atomicJobFailed(let ranges, let state, let message):
            "atomic migration of \(ranges) ended in state \(state)\(message.isEmpty ? "" : ": \(sanitizedForDisplay(message))") (no fallback to the legacy path; nothing was finalised by shardtop)"
        case .cancelled:
            "cancelled by the operator; the slot in progress was finished and no slot is left open"
        case .timedOut(let what):
            "timed out: \(what)"
        case .otherOperation(let node, let what):
            "refused: \(node) is busy: \(what); try again when it is done"
        }
    }
}
