import NIOCore
import NIOEmbedded
import Testing
import ShardtopTestSupport

import ShardtopCore
import ShardtopRedis

/// A huge CLUSTER NODES (6,000 lines, about 0.9 MB) must cost time in proportion to its size, also
/// when it trickles in a byte per read. The bounds are generous on purpose: they catch quadratic
/// behaviour (minutes), not a slow machine.
@Suite(.serialized, .oneCPUBoundAtATime) struct ClusterNodesScaleTests {
    static let lineCount = 6_000

    /// 2,000 primaries with a slot range each and two replicas apiece, plus open-slot marks on myself.
    static let reply: String = {
        var rng = SplitMix64(state: 7)
        var lines: [String] = []
        let primaries = lineCount / 3
        for index in 0..<primaries {
            let id = ClusterNodesTextGen.nodeID(using: &rng)
            let first = index * hashSlotCount / primaries
            let last = (index + 1) * hashSlotCount / primaries - 1
            let flags = index == 0 ? "myself,master" : "master"
            let open = index == 0 ? " [\(last)->-\(ClusterNodesTextGen.nodeID(using: &rng))]" : ""
            lines.append("\(id) 10.\(index / 250).\(index % 250).1:7000@17000,host-\(index) \(flags) - 0 1700000000000 \(index) connected \(first)-\(last)\(open)")
            for replica in 0..<2 {
                let replicaID = ClusterNodesTextGen.nodeID(using: &rng)
                lines.append("\(replicaID) 10.\(index / 250).\(index % 250).\(replica + 2):7000@17000 slave \(id) 0 1700000000000 \(index) connected")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func sixThousandLinesParseInBoundedTime() throws {
        let started = ContinuousClock.now
        let entries = try ClusterNodesParser.parse(Self.reply)
        let elapsed = ContinuousClock.now - started
        #expect(entries.count == Self.lineCount)
        #expect(entries.filter { !$0.slots.isEmpty }.flatMap(\.slots).map(\.count).reduce(0, +) == hashSlotCount)
        #expect(elapsed < .seconds(10), "6,000 lines took \(elapsed)")
    }

    /// The bulk is never scanned before it is complete, so a byte-per-read trickle costs one
    /// header parse per byte, and gives the same reply as one read.
    @Test func replyTricklingOneBytePerReadDecodesAsOneRead() throws {
        let payload = Array(Self.reply.utf8)
        let wire = Array("$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
        let harness = ClientHandlerHarness()
        let answer = try harness.request(replies: 1)
        let started = ContinuousClock.now
        try harness.feed(wire, inPiecesOf: [1])
        let elapsed = ContinuousClock.now - started
        #expect(try #require(harness.answer(answer)).get() == [.bulkString(payload)])
        // Linear costs 10-20 s in a debug build and took 63 s once under a load average of 230;
        // a rescan of the buffer per byte would be about 4 x 10^11 byte reads here: hours.
        #expect(elapsed < .seconds(300), "\(wire.count) one-byte reads took \(elapsed)")
        #expect(try ClusterNodesParser.parse(String(decoding: payload, as: UTF8.self)).count == Self.lineCount)
    }
}
