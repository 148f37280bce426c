import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// A node whose CLUSTER NODES has 5,000 lines (issue 14, item 12): the dashboard sat at a full core
/// and took 0.8 s per key. Work is counted rather than timed where it can be (an unchanged reply is
/// neither parsed nor read into views again), and keys are timed against a bound that a loaded
/// machine still meets but the old behaviour misses by far.
@Suite(.serialized, .oneClusterAtATime) struct BigNodeTests {
    static let nodeCount = 5_000

    @Test func anUnchangedReplyIsNotParsedOrReadIntoViewsAgain() async throws {
        let script = BigNodeScript(count: Self.nodeCount)
        let fake = try await HostileNode.start(.script { command, port in script.answer(command, port: port) })
        defer { fake.stop() }
        // Patient deadlines: a missed reply (4,999 refused connects share the event loops with the
        // fake's 500 KB answer) would count as a changed view and make the count below flaky.
        let poller = ClusterPoller(seeds: [fake.address], options: ConnectionOptions(connectTimeout: .seconds(5), requestTimeout: .seconds(10)))

        let (first, _) = await poller.tick()
        #expect(first.nodes.count == Self.nodeCount)
        #expect(first.nodes.filter { $0.health == .unreachable }.count == Self.nodeCount - 1)
        let once = await poller.work
        #expect(once.topologyParses == 1 && once.viewReadings == 1, "\(once)")

        var last = first
        for _ in 0..<3 { last = await poller.tick().snapshot }
        let unchanged = await poller.work
        // Zero work per unchanged tick: the reply was recognised, not parsed, and the views reused.
        #expect(unchanged.topologyParses == 1, "\(unchanged)")
        #expect(unchanged.topologyParsesSkipped == 3, "\(unchanged)")
        #expect(unchanged.viewReadings == 1, "\(unchanged)")
        #expect(unchanged.viewReadingsSkipped == 3, "\(unchanged)")
        // And nothing is stale: the same topology as a fresh reading gives (compared as booleans:
        // printing 5,000 nodes on a failure helps nobody).
        let sameNodes = last.nodes.map(\.id).sorted() == first.nodes.map(\.id).sorted()
        let sameOwners = last.slotOwners == first.slotOwners
        let sameShards = last.shards == first.shards
        #expect(sameNodes && sameOwners && sameShards, "nodes \(sameNodes), slot owners \(sameOwners), shards \(sameShards)")

        // A reply that changes by one flag is read again, and the snapshot shows the change.
        script.markFailed(1)
        let (changed, _) = await poller.tick()
        let afterChange = await poller.work
        #expect(afterChange.topologyParses == 2 && afterChange.viewReadings == 2, "\(afterChange)")
        let flagged = changed.nodes.first { $0.id == BigNodeScript.id(1) }?.flags.contains("fail") == true
        #expect(flagged, "the node flagged fail in the new reply is not flagged in the snapshot")
        await poller.shutdown()
    }

    /// The real binary in tmux against the fake node, as an operator would run it. Each key is
    /// timed twice: inside the dashboard (read to frame on screen, from SHARDTOP_KEY_TIMES) and
    /// from outside (send-keys until the screen shows it, which adds tmux's own round trips).
    @Test func keysAreAnsweredWithin100MillisecondsOfA5000LineView() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        let script = BigNodeScript(count: Self.nodeCount)
        let fake = try await HostileNode.start(.script { command, port in script.answer(command, port: port) })
        defer { fake.stop() }
        let timesPath = NSTemporaryDirectory() + "shardtop-key-times-\(UUID().uuidString)"
        defer { unlink(timesPath) }
        let session = Tmux(binary: tmux, name: "shardtop-big-\(UInt32.random(in: 0...UInt32.max))")
        try session.start(width: 120, height: 40, command: "SHARDTOP_KEY_TIMES=\(timesPath) \(CLI.binaryPath) \(fake.address) --interval 1; echo EXITED=$?; sleep 30")
        defer { session.kill() }

        // The first frame with every node is the one slow moment allowed (discovery dials 4,999 dead addresses).
        let first = try await session.waitFor(timeout: 60) { $0.contains("\(Self.nodeCount) nodes") && $0.contains("WORST LAG") }
        #expect(first.contains("\(Self.nodeCount) nodes"), "\(first)")
        // A few polls in, so the keys below meet the steady state (polls, 5,000 log sources) and not start-up.
        try await Task.sleep(for: .seconds(3))

        let screens = [("2", "sorted by"), ("1", "WORST LAG"), ("5", "highlighted:"), ("1", "WORST LAG")]
        var seen: [Duration] = []
        for round in 0..<3 {
            for (key, marker) in screens {
                let sent = ContinuousClock.now
                session.send(key)
                let screen = try await session.waitFor(timeout: 5, poll: .milliseconds(10)) { $0.contains(marker) }
                #expect(screen.contains(marker), "round \(round): key \(key) never showed \(marker)")
                seen.append(ContinuousClock.now - sent)
            }
            for key in ["2", "Down", "Down", "PageDown", "Up", "End", "Home"] { session.send(key) }
        }
        session.send("q")
        let after = try await session.waitFor(timeout: 20) { $0.contains("EXITED=") }
        #expect(after.contains("EXITED=0"), "\(after)")

        let inside = try String(contentsOfFile: timesPath, encoding: .utf8).split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.flatMap { Double($0) } }
        #expect(inside.count >= seen.count, "SHARDTOP_KEY_TIMES has \(inside.count) keys")
        let insideMedian = inside.sorted()[inside.count / 2]
        // The bar: keys under 100 ms at any size (before: about 800 ms each).
        #expect(insideMedian < 100, "median key \(insideMedian) ms inside the dashboard: \(inside)")
        // From outside, tmux's spawns and 10 ms capture polls come on top; still far below 800 ms.
        let outsideMedian = seen.sorted()[seen.count / 2]
        #expect(outsideMedian < .milliseconds(400), "median key \(outsideMedian) seen through tmux: \(seen)")
    }
}
