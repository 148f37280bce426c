import Foundation
import Testing
import ShardtopCore
@testable import ShardtopLogs

/// Followed files share one timer per interval (issue 12: one sleeping task per node woke the
/// dashboard 150 times a second on a 30-node lab), and leave it when their reader goes.
@Suite struct FileTailTickerTests {
    @Test func filesAtOneIntervalShareOneTimerAndLeaveIt() async throws {
        // An interval no other test uses, so this ticker is this test's alone.
        let interval = Duration.milliseconds(23)
        let ticker = FileTailTicker.shared(interval: interval)
        let dir = try TempDirectory()
        let names = (1...5).map { "n\($0).log" }
        for name in names { try dir.append("first \(name)\n", to: name) }
        let readers = names.map { name in
            let path = dir.file(name)
            return Task {
                await collect(FileTailSource(path: path, lines: 5, pollInterval: interval).batches()) {
                    $0.messages.contains("second \(name)")
                }
            }
        }
        #expect(await waitUntil { ticker.followed == 5 })
        #expect(ticker.isTicking)
        for name in names { try dir.append("second \(name)\n", to: name) }
        for (name, reader) in zip(names, readers) {
            #expect(await reader.value.messages == ["first \(name)", "second \(name)"])
        }
        // Each reader left when it had its line: nothing is followed and the timer stops.
        #expect(await waitUntil { ticker.followed == 0 && !ticker.isTicking })
        #expect(FileTailTicker.shared(interval: interval) === ticker)
    }

    @Test func aReaderCancelledAtOnceLeavesNothingBehind() async throws {
        let interval = Duration.milliseconds(29)
        let ticker = FileTailTicker.shared(interval: interval)
        let dir = try TempDirectory()
        try dir.append("only\n", to: "a.log")
        let path = dir.file("a.log")
        for _ in 0..<20 {
            let reader = Task { await collect(FileTailSource(path: path, pollInterval: interval).batches(), seconds: 0.01) { _ in false } }
            _ = await reader.value
        }
        #expect(await waitUntil { ticker.followed == 0 && !ticker.isTicking })
    }

    private func waitUntil(_ condition: @escaping () -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
