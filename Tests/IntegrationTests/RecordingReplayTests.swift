import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRecording
import ShardtopRedis
import ShardtopUI

/// `--record` then `replay`: a 60 s recording of a real cluster, with a failover in the middle,
/// replays to the same screens at the same snapshot times. Live and replay go through the same
/// actions the dashboard dispatches (the clock set to the snapshot's time, then the snapshot).
@Suite(.serialized, .oneClusterAtATime) struct RecordingReplayTests {
    static let screens: [ScreenID] = [.overview, .nodes, .slots, .replication, .events]

    func render(_ state: AppState) -> [String] {
        Self.screens.map { screen in
            var copy = state
            copy.screen = screen
            return DashboardRenderer.render(copy).recorded
        }
    }

    func fresh() -> AppState {
        var state = AppState()
        state.width = 120
        state.height = 40
        state.seedText = "recorded"
        return state
    }

    @Test func sixtySecondRecordingWithAFailoverReplaysToTheSameScreens() async throws {
        guard let lab = try await TestServers.lab(.redis) else { return }
        defer { lab.stop() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-rec-\(getpid()).jsonl.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordingWriter(path: path, seed: lab.seed.description, started: Date().timeIntervalSince1970)
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions)
        let links = ActionLinks(options: TestServers.fastOptions)
        defer { Task { await poller.shutdown(); await links.close() } }

        var live = fresh()
        var liveScreens: [[String]] = []
        var failoverSent = false
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(60) {
            let tickStart = ContinuousClock.now
            let (snapshot, events) = await poller.tick()
            try writer.append(snapshot, events: events)
            _ = Reducer.reduce(&live, .clock(snapshot.time))
            _ = Reducer.reduce(&live, .snapshotArrived(snapshot, events))
            liveScreens.append(render(live))
            if !failoverSent, ContinuousClock.now - started > .seconds(20),
               let replica = snapshot.nodes.first(where: { $0.role == .replica && $0.isReachable }) {
                #expect(await FailoverRunner.send(.default, to: replica.address, links: links) == nil)
                failoverSent = true
            }
            let spent = ContinuousClock.now - tickStart
            if spent < .seconds(1) { try await Task.sleep(for: .seconds(1) - spent) }
        }
        writer.close()

        let recording = try Recording.load(path: path)
        #expect(recording.ticks.count == liveScreens.count)
        #expect(recording.duration >= 55)
        #expect(recording.skippedLines == 0)
        let kinds = Set(recording.ticks.flatMap(\.events).map(\.kind))
        #expect(kinds.contains(.roleChanged), "the failover should be in the recording")

        var replayed = fresh()
        var differing: [Int] = []
        for (index, tick) in recording.ticks.enumerated() {
            _ = Reducer.reduce(&replayed, .clock(tick.time))
            _ = Reducer.reduce(&replayed, .snapshotArrived(tick.snapshot, tick.events))
            if render(replayed) != liveScreens[index] { differing.append(index) }
        }
        #expect(differing.isEmpty, "ticks whose replayed screens differ: \(differing.prefix(10))")

        // A seek rebuilds the state from the start: at the last tick it equals playing straight through.
        var sought = fresh()
        _ = Reducer.reduce(&sought, .replayRebuild(recording.ticks))
        #expect(render(sought) == liveScreens.last)
    }

    @Test func aRecordingCutShortStillReplaysUpToItsLastTick() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-cut-\(getpid()).jsonl.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordingWriter(path: path, seed: "x:1", started: 1)
        let snapshot = ClusterSnapshot(time: 5, state: "ok", nodes: [], shards: [], slotOwners: SlotOwners(),
                                       openSlots: [], disagreeingNodes: [])
        for _ in 0..<3 { try writer.append(snapshot, events: []) }
        // No close(): like a session that was killed, the gzip stream has no trailer.
        let recording = try Recording.load(path: path)
        #expect(recording.ticks.count == 3)
        #expect(throws: RecordingError.self) { try Recording.load(path: "/nonexistent/recording.gz") }
    }
}
