import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore

/// The dashboard's membership keys on the real binary in tmux, on a real lab: N starts a new lab
/// server and adds it as a replica of the selected primary; D removes it again, and the Nodes
/// screen stops showing it (the poller drops a node no live node lists).
@Suite(.serialized, .oneClusterAtATime) struct MembershipDashboardTests {
    @Test func labKeysAddASpareReplicaAndRemoveIt() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        guard let server = TestServers.binary(.redis) else { return }
        let session = Tmux(binary: tmux, name: "shardtop-members-e2e-\(UInt32.random(in: 0...UInt32.max))")
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("shardtop-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: marker, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: marker) }
        // The journal goes under XDG_STATE_HOME: a directory of this run's own.
        let stateHome = "\(marker)-state"
        defer { try? FileManager.default.removeItem(atPath: stateHome) }
        let journal = "\(stateHome)/shardtop/actions.jsonl"
        try session.start(width: 140, height: 40, command: "TMPDIR=\(marker) XDG_STATE_HOME=\(stateHome) \(CLI.binaryPath) lab --server \(server) --node-timeout 5000 --interval 0.5; echo EXITED=$?; sleep 30")
        defer { session.kill() }
        _ = try await session.waitFor(timeout: 60) { $0.contains("cluster ok") && $0.contains("6 nodes") }

        // Select a primary: filter the nodes table by role, the first row is then a primary.
        session.send("2")
        _ = try await session.waitFor(timeout: 5) { $0.contains("ADDRESS") }
        session.send("/")
        for character in "primary" { session.send(String(character)) }
        session.send("Enter")
        _ = try await session.waitFor(timeout: 5) { !$0.contains("replica ") || $0.contains("/primary") }

        session.send("N")
        let prompt = try await session.waitFor(timeout: 5) { $0.contains("a new lab server") }
        #expect(prompt.contains("[replica of"), "\(prompt)")
        session.send("Enter")
        let preview = try await session.waitFor(timeout: 5) { $0.contains("CLUSTER MEET through") }
        #expect(preview.contains("CLUSTER REPLICATE"), "\(preview)")
        session.send("y")
        let added = try await session.waitFor(timeout: 120) { $0.contains("added as replica of") || $0.contains("add-node stopped") || $0.contains("add-node: ") }
        let address = try #require(Self.firstMatch(#"(127\.0\.0\.1:\d+) added as replica of"#, in: added), "\(added)")
        let seven = try await session.waitFor(timeout: 30) { $0.contains("7 nodes") }
        #expect(seven.contains("7 nodes"), "\(seven)")

        // Select the new node (filter by its address) and remove it again.
        session.send("Escape")
        session.send("/")
        for character in address { session.send(String(character)) }
        session.send("Enter")
        let row = try await session.waitFor(timeout: 10) { $0.contains(address) && $0.contains("replica") }
        #expect(row.contains(address), "\(row)")
        session.send("D")
        let removal = try await session.waitFor(timeout: 5) { $0.contains("CLUSTER FORGET") }
        #expect(removal.contains("plan: remove \(address)"), "\(removal)")
        session.send("y")
        let removed = try await session.waitFor(timeout: 120) { $0.contains("removed \(address)") || $0.contains("remove-node stopped") || $0.contains("remove-node: ") }
        #expect(removed.contains("removed \(address)"), "\(removed)")
        let six = try await session.waitFor(timeout: 30) { $0.contains("6 nodes") && $0.contains("cluster ok") }
        #expect(six.contains("6 nodes"), "the removed node is still shown: \(six)")

        // Every step is in the journal.
        let entries = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
        #expect(entries.contains("\"add-node\"") && entries.contains("\"remove-node\""), "\(entries)")
        #expect(entries.contains("CLUSTER MEET") && entries.contains("CLUSTER RESET HARD"), "\(entries)")

        session.send("q")
        let after = try await session.waitFor(timeout: 30) { $0.contains("EXITED=") }
        #expect(after.contains("EXITED=0"), "\(after)")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: marker)) ?? []
        #expect(leftovers.isEmpty, "lab left \(leftovers)")
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
