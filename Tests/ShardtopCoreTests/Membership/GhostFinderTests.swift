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
}
