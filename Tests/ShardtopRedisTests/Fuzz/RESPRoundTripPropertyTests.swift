import NIOCore
import NIOEmbedded
import PropertyBased
import Testing
import ShardtopTestSupport

import ShardtopRedis

/// Valid replies, generated: whatever form they take on the wire and however the reads cut
/// them, the decoder gives back exactly the values that were sent.
@Suite(.serialized, .oneCPUBoundAtATime) struct RESPRoundTripPropertyTests {
    @Test func decodeOfEncodeIsIdentity() async {
        await propertyCheck(count: FuzzBudget.cases(500), input: RESPValueGen.value()) { value in
            let outcome = DecodeOutcome.decode(DecodeOutcome.canonical(value))
            #expect(outcome.values == [value])
            #expect(outcome.error == nil && outcome.leftover == 0)
        }
    }

    /// Other nulls, bulk errors and attributes in front of values decode as the canonical form does.
    @Test func everyWireFormDecodesToTheSameValue() async {
        await propertyCheck(count: FuzzBudget.cases(500), input: RESPValueGen.value(), Gen.uint64()) { value, seed in
            var rng = SplitMix64(state: seed)
            let wire = RESPWireForms.encode(value, using: &rng)
            #expect(DecodeOutcome.decode(wire).values == [value], "wire: \(FuzzText.shown(wire))")
        }
    }

    /// The same bytes split at every position, and fed a byte at a time, decode to the same values.
    @Test func splittingAtAnyPositionChangesNothing() async {
        await propertyCheck(count: FuzzBudget.cases(200), input: RESPValueGen.value(), Gen.uint64()) { value, seed in
            var rng = SplitMix64(state: seed)
            let wire = RESPWireForms.encode(value, using: &rng)
            let whole = DecodeOutcome.decode(wire)
            #expect(whole.values == [value])
            #expect(DecodeOutcome.decode(wire, chunks: [1]) == whole)
            for cut in stride(from: 1, to: wire.count, by: max(1, wire.count / 64)) {
                #expect(DecodeOutcome.decode(wire, chunks: [cut, wire.count]) == whole, "cut at \(cut)")
            }
        }
    }

    /// Pipelined replies through the connection's own handler, in random read sizes.
    @Test func pipelinedRepliesThroughTheConnectionHandler() async throws {
        let values = RESPValueGen.value().array(of: 1...6)
        await propertyCheck(count: FuzzBudget.cases(200), input: values, RESPBytesGen.chunking) { values, chunks in
            let wire = values.flatMap(DecodeOutcome.canonical)
            // Pushes are not replies to anything sent: the handler leaves them out.
            let replies = values.filter { if case .push = $0 { false } else { true } }
            let harness = ClientHandlerHarness()
            let answer = try harness.request(replies: replies.count)
            try harness.feed(wire, inPiecesOf: chunks)
            #expect(try #require(harness.answer(answer)).get() == replies)
        }
    }
}
