/// An open slot found in a snapshot, classified so `fix` can explain which case applies and what
/// resuming or rolling back would do. Both directions end the same way: one owner holding every
/// key, no MIGRATING/IMPORTING marks left anywhere.
public struct SlotRepair: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Source MIGRATING and target IMPORTING: stopped in the middle of moving keys.
        case interruptedMove = "interrupted-move"
        /// Only the source has its MIGRATING mark (the target lost IMPORTING, e.g. a restart).
        case migratingOnly = "migrating-only"
        /// Only the target has its IMPORTING mark (stopped before or after the source's mark).
        case importingOnly = "importing-only"
        /// The target already owns the slot (finalised there) but the source still has its mark.
        case finalisedOnTarget = "finalised-on-target"
        /// The target imports from a node that no longer owns the slot: the source failed over, and
        /// its promoted replica owns the slot without the MIGRATING mark (redis 7.0 does not
        /// replicate it). `sourceId` is the new owner; `formerSourceId` the node the target names.
        case sourceFailedOver = "source-failed-over"
    }

    public var slot: Int
    public var kind: Kind
    /// The node that owned the slot before the move.
    public var sourceId: String
    /// The node the slot was moving to.
    public var targetId: String
    /// Who the majority says owns the slot now.
    public var ownerId: String?
    /// For `.sourceFailedOver`: the node the target's IMPORTING mark names.
    public var formerSourceId: String?

    public var explanation: String {
        switch kind {
        case .interruptedMove:
            "slot \(slot) was being moved and stopped mid-way: keys may be on both nodes. Resume moves the rest to the target; roll back moves the moved keys back to the source."
        case .migratingOnly:
            "slot \(slot) is marked MIGRATING on its owner but the target is not IMPORTING (it may have restarted). Resume re-opens the target and finishes the move; roll back returns any keys and clears the mark."
        case .importingOnly:
            "slot \(slot) is marked IMPORTING on the target but the source is not MIGRATING (stopped at the first step, or the source restarted). Resume opens the source and moves the keys; roll back returns any keys that reached the target and clears the mark."
        case .finalisedOnTarget:
            "slot \(slot) already belongs to the target but the source still marks it MIGRATING. Resume moves any keys left on the source and clears the mark; roll back moves the slot back to the source."
        case .sourceFailedOver:
            "slot \(slot) is IMPORTING on the target from \(formerSourceId.map { String($0.prefix(8)) } ?? "?"), which no longer owns it: that source failed over, and the replica promoted in its place owns the slot without the MIGRATING mark (redis 7.0 does not replicate it), so keys that had already moved sit on the target where no client is sent. Resume moves the rest from the new owner to the target and hands the slot over; roll back returns the moved keys to the new owner."
        }
    }

    /// One repair per open slot. Marks that disagree (e.g. two IMPORTING nodes) are reported per
    /// mark; the first mark seen for a slot wins, and the rest show again after it is fixed.
    public static func find(_ snapshot: ClusterSnapshot) -> [SlotRepair] {
        var bySlot: [Int: [OpenSlot]] = [:]
        for open in snapshot.openSlots { bySlot[open.slot, default: []].append(open) }
        return bySlot.keys.sorted().compactMap { slot in
            let marks = bySlot[slot]!
            let owner = snapshot.slotOwners[slot]
            let migrating = marks.first { $0.state == .migrating }
            let importing = marks.first { $0.state == .importing }
            var source = migrating?.node ?? importing!.peer
            let target = migrating?.peer ?? importing!.node
            var former: String?
            let kind: Kind
            if migrating == nil, let owner, owner != source, owner != target {
                // The keys live with the owner now, whoever the mark names.
                kind = .sourceFailedOver
                former = source
                source = owner
            } else if owner == target, owner != nil, migrating != nil {
                kind = .finalisedOnTarget
            } else if migrating != nil && importing != nil {
                kind = .interruptedMove
            } else if migrating != nil {
                kind = .migratingOnly
            } else {
                kind = .importingOnly
            }
            return SlotRepair(slot: slot, kind: kind, sourceId: source, targetId: target, ownerId: owner, formerSourceId: former)
        }
    }
}

/// Which way `fix` settles an open slot.
public enum RepairDirection: String, Sendable, CaseIterable, Codable {
    /// Finish the move: the target ends up owning the slot and all its keys.
    case resume
    /// Undo the move: the source ends up owning the slot and all its keys.
    case rollback
}
