import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// Persistence and capacity on real servers: a BGSAVE made to fail shows in `check --json`; a
/// primary given a small maxmemory and a writer shows its fill forecast shrinking, then the
/// near-full and evicting findings in `check --json` and on screen 8 of the real binary in tmux;
/// `plan` on a live lab.
@Suite(.serialized, .oneClusterAtATime) struct CapacityDurabilityTests {
    /// BGSAVE writes a temporary file and renames it to dump.rdb; with dump.rdb a non-empty
    /// directory the rename fails (EISDIR), as root too, on redis 7.0.15 and valkey 9.1.2 alike
    /// (CONFIG SET dir is a protected config on both, so a read-only dir cannot be set live).
    @Test(arguments: Engine.allCases)
    func failedBackgroundSaveIsACheckFinding(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        defer { Task { await poller.shutdown() } }
        let (ready, _) = try await pollUntil(poller, seconds: 20) { snapshot, _ in snapshot.primaries.count == 3 && snapshot.nodes.allSatisfy { $0.error == nil } }
        let victim = try #require(ready.primaries.first)
        let node = try #require(lab.node(at: victim.address))
        let blocker = "\(node.directory)/dump.rdb"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
        try Data("not an rdb".utf8).write(to: URL(fileURLWithPath: "\(blocker)/keep"))
        let client = NodeClient(address: victim.address, options: TestServers.fastOptions(lab))
        defer { Task { await client.close() } }
        let reply = try await client.send([["BGSAVE"]])
        #expect(reply.first?.errorMessage == nil, "\(reply)")

        // The save ends within seconds; the status is read by the same poller the dashboard uses.
        let (after, _) = try await pollUntil(poller, seconds: 30) { snapshot, _ in
            snapshot.node(id: victim.id)?.persistence?.rdbLastBgsaveStatus == .failed
        }
        let persistence = try #require(after.node(id: victim.id)?.persistence)
        #expect(persistence.rdbLastBgsaveStatus == .failed)
        #expect(persistence.rdbBgsaveInProgress == false)
        // The lab runs with `save ""`: RDB rules read as off (CONFIG GET save rides in the poll).
        #expect(persistence.rdbSaveConfigured == false)
        #expect(persistence.aofEnabled == false)

        let check = try await CLI.run(["check", "\(lab.seed)", "--json"])
        #expect(check.status == 1, "\(check.output)\(check.errorOutput)")
        let findings = check.output.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        let failed = findings.filter { $0["code"] as? String == "bgsave-failed" }
        #expect(failed.count == 1, "\(check.output)")
        #expect(failed.first?["severity"] as? String == "error")
        #expect(failed.first?["nodes"] as? [String] == [victim.id])
        #expect((failed.first?["message"] as? String)?.contains("\(victim.address)") == true)
        // The other shards are untouched, and the lab's missing maxmemory is one note, not a warning.
        #expect(!findings.contains { $0["code"] as? String == "bgsave-failed" && ($0["nodes"] as? [String]) != [victim.id] })
        #expect(findings.filter { $0["code"] as? String == "no-maxmemory" }.first?["severity"] as? String == "info")
        #expect(check.errorOutput.contains("FAIL: 1 error"), "\(check.errorOutput)")
    }

    /// Keys that all hash to one slot the primary owns, so the writer fills exactly that primary.
    static func keys(for primary: SnapshotNode) -> @Sendable (Int) -> String {
        let tag = (0..<100_000).lazy.map { "cap\($0)" }.first { tag in primary.slots.contains { $0.contains(HashSlot.of(tag)) } }!
        return { "{\(tag)}:\($0)" }
    }

    @Test(arguments: Engine.allCases)
    func smallMaxmemoryForecastShrinksThenNearFullAndEvicting(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        let tmuxBinary = Tmux.find()
        if tmuxBinary == nil && TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }

        let poller = ClusterPoller(seeds: [lab.seed], options: TestServers.fastOptions(lab))
        defer { Task { await poller.shutdown() } }
        let (ready, _) = try await pollUntil(poller, seconds: 20) { snapshot, _ in snapshot.primaries.count == 3 && snapshot.nodes.allSatisfy { $0.error == nil } }
        let primary = try #require(ready.primaries.first)
        let client = NodeClient(address: primary.address, options: TestServers.fastOptions(lab))
        defer { Task { await client.close() } }
        // 4 MB above what it uses now: the writer below fills that in about 45 s.
        let limit = (primary.usedMemory ?? 2_000_000) + 4 * 1024 * 1024
        let set = try await client.send([["CONFIG", "SET", "maxmemory", "\(limit)"], ["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]])
        #expect(set.allSatisfy { $0.errorMessage == nil }, "\(set)")

        var session: Tmux?
        if let tmuxBinary {
            let tmux = Tmux(binary: tmuxBinary, name: "shardtop-capacity-\(UInt32.random(in: 0...UInt32.max))")
            try tmux.start(width: 120, height: 40, command: "\(CLI.binaryPath) \(lab.seed) --interval 0.5; echo EXITED=$?; sleep 30")
            _ = try await tmux.waitFor(timeout: 15) { $0.contains("6 nodes") }
            tmux.send("8")
            let screen = try await tmux.waitFor(timeout: 10) { $0.contains("closest to full") && $0.contains("BGSAVE") }
            #expect(screen.contains("allkeys-lru"), "\(screen)")
            session = tmux
        }
        defer { session?.kill() }

        // The writer: SETs of 1 KB every 100 ms on one slot of the primary, 8 a round (about
        // 80 KB/s) on redis; 4 on valkey, whose libc malloc spends about twice the memory a key.
        let key = Self.keys(for: primary)
        let value = String(repeating: "x", count: 1000)
        let perRound = engine == .redis ? 8 : 4
        let writer = Task {
            let writerClient = NodeClient(address: primary.address, options: TestServers.fastOptions(lab))
            var n = 0
            while !Task.isCancelled {
                let batch = (0..<perRound).map { i in ["SET", key(n + i), value] }
                _ = try? await writerClient.send(batch)
                n += perRound
                try? await Task.sleep(for: .milliseconds(100))
            }
            await writerClient.close()
        }
        defer { writer.cancel() }

        // The same history and forecast the dashboard keeps, polled every 0.5 s.
        var history = CapacityHistory()
        var forecasts: [Double] = []
        var nearFull = false
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            let snapshot = await poller.tick().snapshot
            history.record(snapshot)
            if let seconds = history.forecasts()[primary.id]?.confidentFillSeconds { forecasts.append(seconds) }
            if let node = snapshot.node(id: primary.id), CapacityThresholds.default.isNearlyFull(used: node.usedMemory ?? 0, max: node.maxMemory ?? 0) {
                nearFull = true
                break
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        print("\(engine.rawValue): forecast to fill, poll by poll (s): \(forecasts.map { Int($0.rounded()) })")
        #expect(nearFull, "never got within 10% of maxmemory; forecasts \(forecasts)")
        #expect(forecasts.count >= 3, "forecasts \(forecasts)")
        if let first = forecasts.first, let last = forecasts.last {
            #expect(last < first, "the forecast should shrink as memory approaches the limit: \(forecasts)")
        }

        // Full now: the writer keeps going, so the node evicts. check polls twice to see it.
        var codes: Set<String> = []
        var check: CLI.Result?
        for _ in 0..<10 where !codes.isSuperset(of: ["memory-near-max", "evicting"]) {
            let result = try await CLI.run(["check", "\(lab.seed)", "--json"])
            check = result
            codes = Set(result.output.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["code"] as? String
            })
            if !codes.isSuperset(of: ["memory-near-max", "evicting"]) { try await Task.sleep(for: .seconds(1)) }
        }
        #expect(codes.isSuperset(of: ["memory-near-max", "evicting"]), "\(check?.output ?? "")")
        // Warnings, not errors: the cluster still serves; check exits 0.
        #expect(check?.status == 0, "\(check?.output ?? "")\(check?.errorOutput ?? "")")

        if let session {
            let screen = try await session.waitFor(timeout: 20) { $0.contains("evicting") && $0.contains("uses") }
            #expect(screen.contains("closest to full: shard 1"), "\(screen)")
            #expect(screen.contains("evicting"), "\(screen)")
            session.send("1")
            let overview = try await session.waitFor(timeout: 5) { $0.contains("closest to full") && $0.contains("PRIMARY") }
            #expect(overview.contains("closest to full: shard 1"), "\(overview)")
            session.send("q")
            let after = try await session.waitFor(timeout: 10) { $0.contains("EXITED=") }
            #expect(after.contains("EXITED=0"), "\(after)")
        }
    }

    @Test(arguments: Engine.allCases)
    func planOnALiveLab(engine: Engine) async throws {
        guard let lab = try await TestServers.lab(engine) else { return }
        defer { lab.stop() }
        // No maxmemory anywhere: a headroom alone has nothing to be measured against.
        let noBudget = try await CLI.run(["plan", "\(lab.seed)", "--headroom", "30"])
        #expect(noBudget.status == 2)
        #expect(noBudget.errorOutput == "shardtop: no primary has a maxmemory: give --target-memory SIZE, the memory one primary may use\n", "\(noBudget.errorOutput)")

        let add = try await CLI.run(["plan", "\(lab.seed)", "--add-primaries", "1"])
        #expect(add.status == 0, "\(add.errorOutput)")
        #expect(add.output.contains("moves to add 1 primary"), "\(add.output)")
        #expect(add.output.contains("-> new primary 1: "), "\(add.output)")
        #expect(add.output.contains(engine == .valkey ? "(atomic)" : "(legacy)"), "\(add.output)")
        #expect(add.output.contains("total: 3 moves, 4096 slots"), "\(add.output)")

        // A budget of 1 MB a primary: the lab's nodes use about 2 MB each, so it needs more.
        let budget = try await CLI.run(["plan", "\(lab.seed)", "--target-memory", "1mb"])
        #expect(budget.status == 0, "\(budget.errorOutput)")
        #expect(budget.output.contains("needed: the data needs"), "\(budget.output)")

        for bad in [["--target-memory", "12apples"], ["--target-memory", "inf"], ["--headroom", "150"], ["--add-primaries", "0"], []] {
            let result = try await CLI.run(["plan", "\(lab.seed)"] + bad)
            #expect(result.status == 2, "\(bad): \(result.output)")
            #expect(result.errorOutput.split(separator: "\n").count == 1, "\(bad): \(result.errorOutput)")
        }
    }
}
