import Foundation
import Testing
@testable import ShardtopUI

/// Compares a rendered grid with its recorded text snapshot under Tests/ShardtopUITests/Snapshots.
/// A missing snapshot is recorded (and fails under CI=true, where nothing may be recorded silently);
/// SHARDTOP_RECORD=1 re-records every snapshot after an intended change.
func assertScreen(_ grid: Grid, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent("\(name).txt")
    let actual = grid.recorded
    let environment = ProcessInfo.processInfo.environment
    let record = environment["SHARDTOP_RECORD"] == "1"
    guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        if environment["CI"] == "true" && !record {
            Issue.record("snapshot \(name) was missing; recorded it. Commit Tests/ShardtopUITests/Snapshots/\(name).txt", sourceLocation: sourceLocation)
        }
        return
    }
    if expected != actual {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
        let detail = firstDifference.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" } ?? "line count differs"
        Issue.record("screen \(name) differs from its snapshot (SHARDTOP_RECORD=1 re-records)\n\(detail)", sourceLocation: sourceLocation)
    }
}
