import Foundation
import Testing
import ShardtopTestSupport
import ShardtopCore
import ShardtopRedis

/// A password reaches the servers and nowhere else: not argv (/proc/PID/cmdline), the screen,
/// the journal, a recording, command output or error text. Secret files readable by others warn.
@Suite(.serialized, .oneClusterAtATime) struct SecretsTests {
    @Test func thePasswordAppearsNowhere() async throws {
        guard let tmux = Tmux.find() else {
            if TestServers.isCI { Issue.record("tmux not found (apt-get install tmux); CI=true requires it") }
            return
        }
        guard let lab = try await TestServers.lab(.redis, replicas: 0) else { return }
        defer { lab.stop() }
        let secret = "pw-\(UInt64.random(in: 0...UInt64.max))"
        for node in lab.nodes {
            let connection = try await RedisConnection.connect(to: node.address, options: TestServers.fastOptions)
            defer { connection.close() }
            #expect(try await connection.send([["ACL", "SETUSER", "ops", "on", ">\(secret)", "+@all", "~*"]]).first == .simpleString("OK"))
        }
        let work = NSTemporaryDirectory() + "shardtop-secrets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let passwordFile = work + "/password"
        FileManager.default.createFile(atPath: passwordFile, contents: Data("\(secret)\n".utf8), attributes: [.posixPermissions: 0o600])
        let recording = work + "/session.jsonl"
        let journal = work + "/actions.jsonl"

        // The dashboard, recording, with the password from a file: argv and screen stay clean.
        let session = Tmux(binary: tmux, name: "shardtop-secrets-\(UInt32.random(in: 0...UInt32.max))")
        try session.start(width: 120, height: 40, command:
            "XDG_STATE_HOME=\(work) \(CLI.binaryPath) \(lab.seed) --user ops --password-file \(passwordFile) --record \(recording) --interval 0.3; echo EXITED=$?; sleep 30")
        defer { session.kill() }
        _ = try await session.waitFor(timeout: 20) { $0.contains("3 nodes") && $0.contains("cluster ok") }
        let pane = session.run(["display-message", "-p", "-t", session.name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        var commandLines = ""
        for pid in Self.descendants(of: Int32(pane) ?? 0) {
            commandLines += (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
        }
        #expect(commandLines.contains("--password-file"), "the dashboard process was not found: \(commandLines)")
        #expect(!commandLines.contains(secret))
        var screens = ""
        for key in ["1", "2", "3", "4", "5", "6", "?"] {
            session.send(key)
            try await Task.sleep(for: .milliseconds(300))
            screens += session.capture()
        }
        #expect(!screens.contains(secret))
        session.send("q")
        _ = try await session.waitFor(timeout: 10) { $0.contains("EXITED=") }
        let recorded = (try? String(contentsOfFile: recording, encoding: .utf8)) ?? ""
        #expect(!recorded.isEmpty, "nothing was recorded")
        #expect(!recorded.contains(secret))

        // An action with MIGRATE ... AUTH2: the journal names the command with the password redacted.
        let owner = lab.nodes[0]
        let target = lab.nodes[1]
        let keys = AckedWriter(seed: lab.seed, slots: [5, 6], keysPerSlot: 20)
        await keys.preload()
        await keys.close()
        let migrate = try await CLI.run(
            ["migrate", "--slots", "5-6", "--to", "\(target.address)", "--yes", "--journal", journal, "--path", "legacy",
             "--user", "ops", "--password-file", passwordFile, "\(owner.address)"]
        )
        #expect(migrate.status == 0, "\(migrate.output)\(migrate.errorOutput)")
        let journaled = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
        #expect(journaled.contains("AUTH2 <user> <redacted>"), "\(journaled)")
        #expect(!journaled.contains(secret) && !migrate.output.contains(secret) && !migrate.errorOutput.contains(secret))

        // A password in a seed URI: warned about, and kept out of the journal and every output.
        let inline = try await CLI.run(
            ["migrate", "--slots", "5-6", "--to", "\(owner.address)", "--yes", "--journal", journal, "--path", "legacy",
             "redis://ops:\(secret)@\(target.address)"]
        )
        #expect(inline.status == 0, "\(inline.output)\(inline.errorOutput)")
        #expect(inline.errorOutput.contains("visible in the process list"))
        #expect(!((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").contains(secret))
        #expect(!inline.output.contains(secret) && !inline.errorOutput.replacingOccurrences(of: "redis://ops:\(secret)@", with: "").contains(secret))

        // Wrong password: names the user and the node, never echoes what was sent.
        let wrongFile = work + "/wrong"
        FileManager.default.createFile(atPath: wrongFile, contents: Data("not-\(secret)\n".utf8), attributes: [.posixPermissions: 0o600])
        let wrong = try await CLI.run(["check", "\(lab.seed)", "--user", "ops", "--password-file", wrongFile])
        #expect(wrong.status == 2)
        #expect(wrong.errorOutput.contains("authentication failed for user ops on node \(lab.seed)"), "\(wrong.errorOutput)")
        #expect(!wrong.errorOutput.contains(secret))

        // A password file readable by others: a warning, as ssh gives; the command still runs.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passwordFile)
        let exposed = try await CLI.run(["check", "\(lab.seed)", "--user", "ops", "--password-file", passwordFile])
        #expect(exposed.status == 0, "\(exposed.errorOutput)")
        #expect(exposed.errorOutput.contains("warning: password file \(passwordFile) is readable by"), "\(exposed.errorOutput)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile)
        let kept = try await CLI.run(["check", "\(lab.seed)", "--user", "ops", "--password-file", passwordFile])
        #expect(!kept.errorOutput.contains("warning"), "\(kept.errorOutput)")

        // A file saved on Windows (CRLF) works; an empty one is refused in one line, not sent.
        let crlf = work + "/crlf"
        FileManager.default.createFile(atPath: crlf, contents: Data("\(secret)\r\n".utf8), attributes: [.posixPermissions: 0o600])
        let windows = try await CLI.run(["check", "\(lab.seed)", "--user", "ops", "--password-file", crlf])
        #expect(windows.status == 0, "\(windows.errorOutput)")
        let empty = work + "/empty"
        FileManager.default.createFile(atPath: empty, contents: Data(), attributes: [.posixPermissions: 0o600])
        let refused = try await CLI.run(["check", "\(lab.seed)", "--user", "ops", "--password-file", empty])
        #expect(refused.status == 2 && refused.errorOutput.contains("is empty"), "\(refused.errorOutput)")
    }

    /// Every process below `pid` (the tmux pane's shell runs the dashboard as its child).
    static func descendants(of pid: Int32) -> [Int32] {
        guard pid > 0, let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return [] }
        let direct = children.split(separator: " ").compactMap { Int32($0) }
        return direct + direct.flatMap { descendants(of: $0) }
    }
}
