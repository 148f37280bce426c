import Foundation
import Testing
@testable import ShardtopRedis

/// The token that lets a poller skip reading a CLUSTER NODES reply again: it must ignore the two
/// gossip timestamps (which move every tick) and nothing else.
@Suite struct ParsedTopologyTests {
    /// Three lines as redis 7.0.15 writes them (captured from a lab), with the timestamps as parameters.
    static func reply(ping: String = "0", pong: String = "1796424001000", flags: String = "master", link: String = "connected",
                      slots: String = "0-5460") -> String {
        """
        07c37dfb233e0a0f4ec4d1b46a9a3b6b3b8d6b8a 127.0.0.1:30001@40001 myself,\(flags) - 0 1796424000000 1 connected \(slots)
        67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@40002 master - \(ping) \(pong) 2 \(link) 5461-10922
        292f8b365bb7edb5e285caf0b6ddc2d9f28e9c1e 127.0.0.1:30003@40003 slave 67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 \(ping) \(pong) 2 connected

        """
    }

    static func token(_ text: String) -> (token: UInt64, byteCount: Int) {
        Array(text.utf8).withUnsafeBufferPointer { ParsedTopology.token($0) }
    }

    @Test func onlyTheGossipTimestampsDifferSoTheReplyIsRecognised() throws {
        let first = try ParsedTopology.read(Self.reply(), reusing: nil)
        #expect(!first.reused)
        let later = try ParsedTopology.read(Self.reply(ping: "1796424009999", pong: "1796424010123"), reusing: first)
        #expect(later.reused)
        #expect(later.entries == first.entries)
    }

    @Test(arguments: [
        reply(flags: "master,fail?"), reply(link: "disconnected"), reply(slots: "0-5459"), reply(slots: "0-5460 [5461->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]"),
    ])
    func anyOtherChangeIsReadAgain(changed: String) throws {
        let first = try ParsedTopology.read(Self.reply(), reusing: nil)
        let next = try ParsedTopology.read(changed, reusing: first)
        #expect(!next.reused)
        #expect(next.entries != first.entries)
    }

    @Test func aReplyOfAnotherShapeIsRecognisedOnlyWhenByteIdentical() throws {
        // Tabs between fields: the parser reads it, the timestamp-free token does not apply.
        let tabbed = Self.reply().replacingOccurrences(of: " 0 1796424000000 ", with: "\t0\t1796424000000\t")
        let first = try ParsedTopology.read(tabbed, reusing: nil)
        #expect(try ParsedTopology.read(tabbed, reusing: first).reused)
        let moved = tabbed.replacingOccurrences(of: "1796424001000", with: "1796424001001")
        #expect(try !ParsedTopology.read(moved, reusing: first).reused)
    }

    @Test func garbageWhereATimestampBelongsIsParsedAndRejected() throws {
        let first = try ParsedTopology.read(Self.reply(), reusing: nil)
        #expect(throws: (any Error).self) { try ParsedTopology.read(Self.reply(pong: "17964x4001000"), reusing: first) }
        #expect(throws: (any Error).self) { try ParsedTopology.read(Self.reply(pong: "-1"), reusing: first) }
    }

    @Test func theTokenCoversEverythingButTheTimestamps() {
        let a = Self.token(Self.reply(ping: "0", pong: "1"))
        let b = Self.token(Self.reply(ping: "1796424009999", pong: "1796424010123"))
        #expect(a == b)
        // A change in a hashed field beside the skipped ones changes it.
        let shifted = Self.reply().replacingOccurrences(of: "master - 0", with: "master -0 0")
        #expect(Self.token(shifted) != Self.token(Self.reply()))
    }
}
