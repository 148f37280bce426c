import Foundation
import Testing
import ShardtopCore
import ShardtopLogs

@Suite struct CommandLogSourceTests {
    @Test func tailFollowsAFile() async throws {
        let dir = try TempDirectory()
        try dir.append((1...10).map { "1:S 01 Jan 2024 00:00:00.000 * line \($0)\n" }.joined(), to: "a.log")
        let template = try LogCommandTemplate(parsing: "tail -n 5 -F {host}/a.log")
        let source = CommandLogSource(arguments: try template.expand(NodeLogValues(host: dir.path, port: 1, id: "x")))
        let writer = Task {
            try await Task.sleep(for: .milliseconds(500))
            try dir.append("1:S 01 Jan 2024 00:00:01.000 # line 11\n", to: "a.log")
        }
        let batches = await collect(source.batches(), seconds: 30) { $0.messages.contains("line 11") }
        try await writer.value
        #expect(batches.messages == (6...11).map { "line \($0)" })
        #expect(batches.allSatisfy { $0.status == .following })
        #expect(batches.flatMap(\.lines).last?.role == .replica)
    }

    @Test func exitIsReportedAndTheSourceRestarts() async throws {
        let dir = try TempDirectory()
        try dir.append("one\ntwo\n", to: "a.log")
        let source = CommandLogSource(arguments: ["cat", dir.file("a.log"), "/nonexistent"])
        for _ in 0..<2 {  // the second run is the restart
            let batches = await collect(source.batches()) { _ in false }
            #expect(batches.last?.status == .exited(status: 1))
            #expect(batches.last?.status.description == "log command exited with status 1")
            #expect(batches.messages.prefix(2) == ["one", "two"])
            // stderr shares the pipe, so cat's complaint is visible where the operator looks.
            #expect(batches.messages.last?.contains("No such file or directory") == true)
        }
    }

    @Test func missingProgramIsUnavailable() async {
        let batches = await collect(CommandLogSource(arguments: ["shardtop-no-such-program"]).batches()) { _ in false }
        #expect(batches.count == 1)
        #expect(batches.first?.status == .unavailable(reason: "cannot run shardtop-no-such-program: No such file or directory"))
    }

    @Test func idleTimeoutEndsAOneShotRead() async throws {
        let dir = try TempDirectory()
        try dir.append("a\nb\n", to: "a.log")
        let source = CommandLogSource(arguments: ["tail", "-n", "1", "-F", dir.file("a.log")], idleTimeout: .milliseconds(300))
        let batches = await collect(source.batches()) { _ in false }
        #expect(batches.messages == ["b"])
        #expect(batches.last?.status == .complete)
    }

    @Test func stoppingKillsTheChild() async throws {
        let source = CommandLogSource(arguments: ["sleep", "30"])
        let stream = source.batches()
        let batches = await collect(stream) { !$0.isEmpty }
        #expect(batches.first?.status == .following)
        // The task that owned the stream was cancelled; give the source a moment to reap.
        try await Task.sleep(for: .milliseconds(300))
        let children = try String(contentsOfFile: "/proc/\(getpid())/task/\(getpid())/children", encoding: .utf8)
        let sleepers = children.split(separator: " ").compactMap { pid -> String? in
            (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ")
        }.filter { $0.hasPrefix("sleep 30") }
        #expect(sleepers.isEmpty)
    }
}
