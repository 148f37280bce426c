import Foundation
import Testing
@testable import ShardtopUI

/// The README's key table is generated from the binding table; this fails when it is stale.
/// SHARDTOP_RECORD=1 rewrites the README section.
@Suite struct ReadmeKeyTableTests {
    static let begin = "<!-- keys:begin (generated from Bindings.all; SHARDTOP_RECORD=1 swift test --filter ReadmeKeyTable) -->"
    static let end = "<!-- keys:end -->"

    @Test func readmeKeyTableMatchesTheBindingTable() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let expected = Bindings.markdownTable()
        guard let start = text.range(of: Self.begin), let stop = text.range(of: Self.end), start.upperBound <= stop.lowerBound else {
            Issue.record("README.md has no key table between the markers:\n\(Self.begin)\n\(expected)\(Self.end)")
            return
        }
        let current = String(text[start.upperBound..<stop.lowerBound]).trimmingCharacters(in: .newlines)
        if current != expected.trimmingCharacters(in: .newlines) {
            if ProcessInfo.processInfo.environment["SHARDTOP_RECORD"] == "1" {
                let updated = text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: "\n" + expected)
                try updated.write(to: readme, atomically: true, encoding: .utf8)
            } else {
                Issue.record("README key table is stale; run SHARDTOP_RECORD=1 swift test --filter ReadmeKeyTable")
            }
        }
    }

    @Test func everyBindingHasHelpAndNoKeyIsBoundTwiceOnAScreen() {
        for screen in ScreenID.allCases {
            var seen: [Key: String] = [:]
            for binding in Bindings.active(on: screen) where binding.scope != .global {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key) bound twice on \(screen.title)")
                    seen[key] = binding.label
                }
            }
        }
        #expect(Bindings.all.allSatisfy { !$0.help.isEmpty && !$0.label.isEmpty })
    }
}
