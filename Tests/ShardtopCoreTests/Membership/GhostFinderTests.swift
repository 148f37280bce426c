import Testing
import ShardtopCore

@Suite struct GhostFinderTests {
    let ghostId = "g".padded

    /// Live nodes a, b, c, each listing a node g with the given flags and link state.
    func views(flags: NodeFlags = [.replica, .fail], connected: Bool = false, slots: [SlotRange] = [], only: Set<String>? = nil) -> [MembershipView] {
        let live = ["a", "b", "c"].map(\.padded)
        return live.enumerated().map { index, id in
            var entries = live.enumerated().map { other, otherId in
                TopologyEntry(id: otherId, address: NodeAddress(host: "127.0.0.1", port: 7001 + other),
                              flags: otherId == id ? [.myself, .primary] : .primary, primaryID: nil, configEpoch: 1, linkConnected: true, slots: [])
            }
            if only?.contains(id) ?? true {
                entries.append(TopologyEntry(id: ghostId, address: NodeAddress(host: "127.0.0.1", port: 7009), flags: flags, primaryID: "a".padded,
                                             configEpoch: 0, linkConnected: connected, slots: slots))
            }
            return MembershipView(viewerId: id, viewer: NodeAddress(host: "127.0.0.1", port: 7001 + index), entries: entries)
        }
    }

    @Test func aNodeEveryLiveNodeSeesFailedAndDisconnectedIsAGhost() {
        let ghosts = GhostFinder.ghosts(views())
        #expect(ghosts.map(\.id) == [ghostId])
        #expect(ghosts.first?.knownBy == 3)
        #expect(GhostFinder.refusal(ghostId, views: views(), acceptsConnections: false) == nil)
    }

    @Test func noaddrCountsAsGone() {
        #expect(GhostFinder.refusal(ghostId, views: views(flags: [.replica, .noaddr])) == nil)
    }

    @Test func aNodeOnlySuspectedIsRefused() {
        let reason = GhostFinder.refusal(ghostId, views: views(flags: [.replica, .pfail]))
        #expect(reason?.contains("pfail") == true)
        #expect(GhostFinder.ghosts(views(flags: [.replica, .pfail])).isEmpty)
    }

    @Test func aPausedNodeWithAConnectedLinkIsRefused() {
        let reason = GhostFinder.refusal(ghostId, views: views(connected: true))
        #expect(reason?.contains("connected cluster-bus link") == true)
    }

    @Test func aNodeThatStillAcceptsConnectionsIsRefused() {
        let reason = GhostFinder.refusal(ghostId, views: views(), acceptsConnections: true)
        #expect(reason?.contains("accepts connections") == true)
    }

    @Test func aFailedNodeThatOwnsSlotsIsRefused() {
        let reason = GhostFinder.refusal(ghostId, views: views(flags: [.primary, .fail], slots: [SlotRange(0, 99)]))
        #expect(reason?.contains("owns 100 slots") == true)
    }

    @Test func aLiveNodeIsNeverAGhost() {
        let reason = GhostFinder.refusal("a".padded, views: views())
        #expect(reason?.contains("remove-node") == true)
    }

    @Test func partlyForgottenGhostsAreStillForgottenWhereListed() {
        let partial = views(only: ["b".padded])
        #expect(GhostFinder.refusal(ghostId, views: partial) == nil)
        #expect(GhostFinder.stillListing([ghostId], views: partial).map(\.viewerId) == ["b".padded])
        #expect(GhostFinder.refusal("z".padded, views: partial)?.contains("already forgotten") == true)
    }

    /// What `forget` without a node names: a ghost with no reason, a node not yet forgettable with
    /// its reason (before, it was passed over and the command said "nothing to forget"), and never
    /// a healthy or answering node.
    @Test func suspectsAreTheFailedLookingNodesWithTheirReasons() {
        #expect(GhostFinder.suspects(views()).map(\.ghost.id) == [ghostId])
        #expect(GhostFinder.suspects(views()).first?.refusal == nil)
        let suspected = GhostFinder.suspects(views(flags: [.replica, .pfail]))
        #expect(suspected.map(\.ghost.id) == [ghostId])
        #expect(suspected.first?.refusal?.contains("pfail") == true)
        let paused = GhostFinder.suspects(views(connected: true))
        #expect(paused.first?.refusal?.contains("connected cluster-bus link") == true)
        #expect(GhostFinder.suspects(views(flags: .replica)).isEmpty)
        // A node that answered is no suspect, even while another view still has it as pfail.
        var flapping = views(flags: .replica)
        flapping[1].entries = flapping[1].entries.map { entry in
            var entry = entry
            if entry.id == "a".padded { entry.flags.insert(.pfail) }
            return entry
        }
        #expect(GhostFinder.suspects(flapping).isEmpty)
    }
}
