import Foundation
import Testing
import ShardtopTestSupport

import ShardtopRedis

/// Replays the seed corpus (real replies, hostile ones, and what the campaign found) through the
/// decoder and every text parser. Each file is both a byte stream and, decoded as UTF-8, a text
/// reply; a file whose bytes decode to a bulk string has that string parsed as text too.
@Suite(.serialized, .oneCPUBoundAtATime) struct FuzzCorpusReplayTests {
    static let files: [URL] = {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/FuzzCorpus"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.sorted().map { directory.appendingPathComponent($0) }
    }()

    @Test func corpusIsThere() {
        #expect(Self.files.count >= 20)
    }

    @Test(arguments: files)
    func replay(_ file: URL) throws {
        let wire = Array(try Data(contentsOf: file))
        for limits in [RESPLimits.default, RESPArbitraryInputPropertyTests.tight] {
            let whole = DecodeOutcome.decode(wire, limits: limits)
            // An incomplete reply is re-parsed from its start on every read, so byte-sized reads of
            // a large file cost quadratic time; large files get coarser reads.
            let deliveries: [[Int]] = wire.count <= 4_096 ? [[1], [3, 1, 7, 2, 64]] : [[4_096, 1, 512, 7]]
            for reads in deliveries {
                #expect(DecodeOutcome.decode(wire, chunks: reads, limits: limits) == whole)
            }
            for value in whole.values {
                #expect(DecodedBounds.violation(value, limits: limits) == nil)
            }
        }
        checkAllParsers(String(decoding: wire, as: UTF8.self))
        for case .bulkString(let payload) in DecodeOutcome.decode(wire).values {
            checkAllParsers(String(decoding: payload, as: UTF8.self))
        }
    }
}
