/// The topology half of the last assembly (every voter's CLUSTER NODES read into a `ViewIndex`, and
/// the majority view), kept for the next tick. Reading the views is the floor of an assembly (n views
/// of n lines), and between ticks the views rarely change. When every voter of this tick is the same
/// node, in the same order, with the same reply text as last tick (`NodeReport.topologyToken`, set by
/// the connector), the next assembly reuses it; anything else rebuilds it. One per poller, used from
/// one task at a time.
public final class TopologyMemo {
    struct Key: Equatable {
        var voterID: String
        var token: UInt64
    }

    private var keys: [Key] = []
    private var index: ViewIndex?
    private var majority: MajorityView?
    /// Assemblies that read every view (a tick with a changed or new reply, or the first).
    public private(set) var builds = 0
    /// Assemblies that reused the last one's views: every reply was unchanged.
    public private(set) var reuses = 0
    /// Of those, the ones that also reused the last assembly's nodes (`QuietAssembly`): nobody failed.
    public internal(set) var quietAssemblies = 0

    public init() {}

    /// What the last assembly built from these views (see `QuietAssembly`); nil once they change.
    var quiet: QuietAssembly?

    /// The views for these voters, and whether they are last tick's: reused when the voters and
    /// their replies are unchanged, else freshly read (and kept for the next tick).
    func reading(for voters: [Voter], previousSlotOwners: SlotOwners?) -> (views: (ViewIndex, MajorityView), reused: Bool) {
        var keys: [Key]? = []
        keys?.reserveCapacity(voters.count)
        for voter in voters {
            // A report without a token (tests, old callers) cannot be proven unchanged.
            guard let token = voter.report.topologyToken else { keys = nil; break }
            keys?.append(Key(voterID: voter.id, token: token))
        }
        if let keys, !keys.isEmpty, keys == self.keys, let index, let majority {
            reuses += 1
            return ((index, majority), true)
        }
        quiet = nil
        let index = ViewIndex(voters: voters)
        let majority = MajorityView(voters: voters, index: index, previousSlotOwners: previousSlotOwners)
        builds += 1
        self.keys = keys ?? []
        self.index = keys == nil ? nil : index
        self.majority = keys == nil ? nil : majority
        return ((index, majority), false)
    }
}

/// What an assembly worked out from the views alone, kept so that a quiet tick (the same voters,
/// in the same order, with the same views, nobody failing) redoes only what the INFO replies and
/// CLUSTER INFO say: every node as `SnapshotAssembler.template` built it, before `finish` applied
/// its INFO, in display order, with its voter and its primary's voter, and the shards and open
/// slots. The views hold everything else, so this is exactly what the full assembly would build
/// again (issue 12: the full assembly was 0.11 ms of a warm tick, every tick). Kept only when
/// every node is a voter's: a failed node, or a seed nobody lists, has no template.
struct QuietAssembly {
    /// In display order, as built from the views: no INFO applied, no lag, health from flags only.
    var templates: [SnapshotNode]
    /// Index into the voters of each template's node (its INFO), of the first voter with its id
    /// (its lag, as the full assembly looks it up), and of its primary's (-1: none).
    var voterOf: [Int]
    var lagVoterOf: [Int]
    var primaryVoterOf: [Int]
    var shards: [Shard]
    var openSlots: [OpenSlot]
}
