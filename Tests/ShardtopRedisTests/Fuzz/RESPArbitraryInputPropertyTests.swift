import PropertyBased
import Testing
import ShardtopTestSupport

import ShardtopRedis

/// Broken and hostile byte streams. A trap would end the test process, so merely finishing is
/// the first property; beyond that, every input either decodes, waits for more, or fails with
/// a RESPProtocolError, identically in any chunking, and never yields more than the limits allow.
@Suite(.serialized, .oneCPUBoundAtATime) struct RESPArbitraryInputPropertyTests {
    /// Small enough that generated input runs into every limit often.
    static let tight = RESPLimits(maxBulkLength: 16, maxElements: 6, maxDepth: 3, maxLineLength: 12)

    @Test func tokenSoupDecodesTheSameInAnyChunking() async {
        await propertyCheck(count: FuzzBudget.cases(1_000), input: RESPBytesGen.soup, RESPBytesGen.chunking) { wire, chunks in
            check(wire, chunks: chunks, limits: .default)
            check(wire, chunks: chunks, limits: Self.tight)
        }
    }

    @Test func mutatedRepliesDecodeTheSameInAnyChunking() async {
        await propertyCheck(count: FuzzBudget.cases(1_000), input: RESPBytesGen.mutated, RESPBytesGen.chunking) { wire, chunks in
            check(wire, chunks: chunks, limits: .default)
            check(wire, chunks: chunks, limits: Self.tight)
        }
    }

    @Test func uniformRandomBytesNeverTrap() async {
        await propertyCheck(count: FuzzBudget.cases(1_000), input: Gen.uint8().array(of: 0...64)) { wire in
            check(wire, chunks: [1], limits: Self.tight)
        }
    }

    private func check(_ wire: [UInt8], chunks: [Int], limits: RESPLimits) {
        let whole = DecodeOutcome.decode(wire, limits: limits)
        #expect(DecodeOutcome.decode(wire, chunks: chunks, limits: limits) == whole, "input: \(FuzzText.shown(wire))")
        #expect(DecodeOutcome.decode(wire, chunks: [1], limits: limits) == whole, "input: \(FuzzText.shown(wire))")
        for value in whole.values {
            if let violation = DecodedBounds.violation(value, limits: limits) {
                Issue.record("\(violation) decoded from \(FuzzText.shown(wire))")
            }
        }
        // Every decoded node took at least three bytes of input (`_\r\n`): nothing was allocated
        // for elements that a header merely announced.
        let nodes = whole.values.map(DecodedBounds.nodeCount).reduce(0, +)
        #expect(nodes * 3 <= wire.count, "\(nodes) values from \(wire.count) bytes")
        if let error = whole.error {
            #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        }
    }
}
