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

    public init() {}

    /// The views for these voters: last tick's when the voters and their replies are unchanged,
    /// else freshly read (and kept for the next tick).
    func views(for voters: [Voter], previousSlotOwners: SlotOwners?) -> (ViewIndex, MajorityView) {
        var keys: [Key]? = []
        keys?.reserveCapacity(voters.count)
        for voter in voters {
            // A report without a token (tests, old callers) cannot be proven unchanged.
            guard let token = voter.report.topologyToken else { keys = nil; break }
            keys?.append(Key(voterID: voter.id, token: token))
        }
        if let keys, !keys.isEmpty, keys == self.keys, let index, let majority {
            reuses += 1
            return (index, majority)
        }
        let index = ViewIndex(voters: voters)
        let majority = MajorityView(voters: voters, index: index, previousSlotOwners: previousSlotOwners)
        builds += 1
        self.keys = keys ?? []
        self.index = keys == nil ? nil : index
        self.majority = keys == nil ? nil : majority
        return (index, majority)
    }
}
