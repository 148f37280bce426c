import ShardtopCore

/// A membership change the app is asked to run (`.startMembership`): plain values, so the reducer
/// stays pure. The app re-reads the cluster and applies every guard again before sending anything.
public enum MembershipRequest: Sendable, Equatable {
    /// Add a node at `address` (nil: start a new lab server) as an empty primary, or as a replica of `replicaOfId`.
    case add(address: String?, replicaOfId: String?)
    /// Remove a live node; `drain` moves its slots to the other primaries first.
    case remove(nodeId: String, drain: Bool)
    /// Forget ghosts: failed everywhere, owning nothing.
    case forget(ids: [String])
    /// A new node (nil: a new lab server) replicates the right primary, and the dead one is forgotten.
    case replace(deadId: String, address: String?)

    public var verb: String {
        switch self {
        case .add: "add a node"
        case .remove: "remove a node"
        case .forget: "forget nodes"
        case .replace: "replace a node"
        }
    }
}

/// The add / remove / forget / replace dialog, held as state like every dialog: the address being
/// typed, the role chosen, the typed confirmation, and which stage it is at.
public struct MembershipDialog: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        /// `primaryId`: the primary the new node may replicate (the selected one, or the selected replica's).
        case add(primaryId: String?)
        case remove(nodeId: String)
        case forget(ids: [String])
        case replace(deadId: String)
    }

    public enum Stage: Sendable, Equatable {
        /// Typing the address and/or choosing the role.
        case input
        /// Removing a primary that owns slots: its slots must be drained first; y offers that.
        case offerDrain(String)
        case preview
        case refused([String])
    }

    public var operation: Operation
    public var stage: Stage
    /// The new node's address as typed (add, replace).
    public var address = ""
    /// Start a new lab server instead of typing an address (lab only).
    public var labSpare = false
    /// Whether the lab may start a server here (Tab switches between it and a typed address).
    public var labOffered = false
    /// Add: as a replica of `primaryId` rather than an empty primary.
    public var asReplica = false
    public var drain = false
    /// Typed confirmation text (removing the last healthy replica of a shard).
    public var typed = ""

    public init(operation: Operation, stage: Stage) {
        self.operation = operation
        self.stage = stage
    }

    public var request: MembershipRequest {
        switch operation {
        case .add(let primaryId): .add(address: labSpare ? nil : address, replicaOfId: asReplica ? primaryId : nil)
        case .remove(let nodeId): .remove(nodeId: nodeId, drain: drain)
        case .forget(let ids): .forget(ids: ids)
        case .replace(let deadId): .replace(deadId: deadId, address: labSpare ? nil : address)
        }
    }

    /// Nodes whose own findings do not block the change (the node being removed or cleared).
    var exempt: Set<String> {
        switch operation {
        case .add: []
        case .remove(let nodeId): [nodeId]
        case .forget(let ids): Set(ids)
        case .replace(let deadId): [deadId]
        }
    }
}

/// A membership change in flight: its summary and the latest progress line, for the operations bar.
public struct MembershipRun: Sendable, Equatable {
    public var summary: String
    public var line: String

    public init(summary: String, line: String = "starting") {
        self.summary = summary
        self.line = line
    }
}
