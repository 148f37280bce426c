import NIOCore
import NIOEmbedded
import Testing

import ShardtopRedis

/// Replies a broken, compromised or non-Redis peer could send. Each must be rejected with a
/// specific error, early and cheaply, and never crash, hang or allocate what the peer asks for.
@Suite struct RESPHostileInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let wire: [UInt8]
        let error: RESPProtocolError
        var limits = RESPLimits.default

        init(_ wire: String, _ error: RESPProtocolError, limits: RESPLimits = .default) {
            self.init(Array(wire.utf8), error, limits: limits)
        }

        init(_ wire: [UInt8], _ error: RESPProtocolError, limits: RESPLimits = .default) {
            self.wire = wire
            self.error = error
            self.limits = limits
        }

        var testDescription: String {
            let shown = wire.prefix(40).map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x\(String($0, radix: 16))" }
            return shown.joined() + (wire.count > 40 ? "... (\(wire.count) bytes)" : "")
        }
    }

    static let defaultBulkLimit = RESPLimits.default.maxBulkLength
    static let defaultElementLimit = RESPLimits.default.maxElements

    static let cases: [Case] = [
        // Huge declared sizes are refused from the header alone, before any payload arrives.
        Case("$9223372036854775807\r\n", .bulkTooLong(length: .max, limit: defaultBulkLimit)),
        Case("!9223372036854775807\r\n", .bulkTooLong(length: .max, limit: defaultBulkLimit)),
        Case("=67108865\r\n", .bulkTooLong(length: 67_108_865, limit: defaultBulkLimit)),
        Case("*2147483647\r\n", .aggregateTooLarge(count: 2_147_483_647, limit: defaultElementLimit)),
        Case("~2147483647\r\n", .aggregateTooLarge(count: 2_147_483_647, limit: defaultElementLimit)),
        Case(">1048577\r\n", .aggregateTooLarge(count: 1_048_577, limit: defaultElementLimit)),
        Case("%524289\r\n", .mapTooLarge(pairs: 524_289, limit: defaultElementLimit)),
        Case("|9223372036854775807\r\n", .mapTooLarge(pairs: .max, limit: defaultElementLimit)),
        Case("$11\r\n", .bulkTooLong(length: 11, limit: 10), limits: RESPLimits(maxBulkLength: 10)),
        Case("*5\r\n", .aggregateTooLarge(count: 5, limit: 4), limits: RESPLimits(maxElements: 4)),
        Case("%3\r\n", .mapTooLarge(pairs: 3, limit: 4), limits: RESPLimits(maxElements: 4)),

        // Negative lengths other than the RESP2 null.
        Case("$-2\r\n", .negativeLength(-2)),
        Case("*-2\r\n", .negativeLength(-2)),
        Case("%-1\r\n", .negativeLength(-1)),
        Case("~-1\r\n", .negativeLength(-1)),
        Case("!-1\r\n", .negativeLength(-1)),
        Case("=-1\r\n", .negativeLength(-1)),
        Case("$-9223372036854775808\r\n", .negativeLength(.min)),

        // Overflow is caught digit by digit, before the CRLF arrives.
        Case(":99999999999999999999\r\n", .integerOverflow),
        Case(":9223372036854775808\r\n", .integerOverflow),
        Case(":-9223372036854775809\r\n", .integerOverflow),
        Case(":" + String(repeating: "9", count: 100_000), .integerOverflow),
        Case("$99999999999999999999\r\n", .lengthOverflow),
        Case("*18446744073709551616\r\n", .lengthOverflow),
        Case("$-9223372036854775809\r\n", .lengthOverflow),

        // Malformed numbers.
        Case(":\r\n", .badInteger),
        Case(":-\r\n", .badInteger),
        Case(":12a\r\n", .badInteger),
        Case(": 1\r\n", .badInteger),
        Case("$\r\n", .badLength),
        Case("$abc\r\n", .badLength),
        Case("$+5\r\n", .badLength),
        Case("*1x\r\n", .badLength),

        // Deep nesting: every aggregate kind counts towards the depth.
        Case(String(repeating: "*1\r\n", count: 10_000), .nestingTooDeep(limit: 32)),
        Case(String(repeating: "%1\r\n+k\r\n", count: 10_000), .nestingTooDeep(limit: 32)),
        Case(String(repeating: "~1\r\n", count: 10_000), .nestingTooDeep(limit: 32)),
        Case(String(repeating: ">1\r\n", count: 10_000), .nestingTooDeep(limit: 32)),
        Case(String(repeating: "|1\r\n", count: 10_000), .nestingTooDeep(limit: 32)),
        Case(String(repeating: "*1\r\n", count: 33) + ":1\r\n", .nestingTooDeep(limit: 32)),
        Case(String(repeating: "*1\r\n", count: 32) + "*0\r\n", .nestingTooDeep(limit: 32)),

        // Lines that never end.
        Case("+" + String(repeating: "a", count: 65_537), .lineTooLong(limit: 65_536)),
        Case("-" + String(repeating: "a", count: 65_537), .lineTooLong(limit: 65_536)),
        Case("," + String(repeating: "1", count: 70_000), .lineTooLong(limit: 65_536)),
        Case("+123456789", .lineTooLong(limit: 8), limits: RESPLimits(maxLineLength: 8)),

        // Not RESP at all.
        Case("A", .unknownTypeByte(0x41)),
        Case("HTTP/1.1 400 Bad Request\r\n", .unknownTypeByte(UInt8(ascii: "H"))),
        Case([0x00], .unknownTypeByte(0x00)),
        Case([0x1B, 0x5B, 0x32, 0x4A], .unknownTypeByte(0x1B)),
        Case("*2\r\n:1\r\n?\r\n", .unknownTypeByte(UInt8(ascii: "?"))),

        // Framing errors.
        Case("$3\r\nfooXY", .missingCRLFAfterBulk),
        Case("$3\r\nfoo\rX", .missingCRLFAfterBulk),
        Case("$0\r\nab", .missingCRLFAfterBulk),
        Case("!3\r\nERRxx", .missingCRLFAfterBulk),
        Case("+OK\rX", .missingCRLF),
        Case(":1\rX", .missingCRLF),
        Case("_x", .missingCRLF),
        Case("_\rx", .missingCRLF),

        // Malformed RESP3 scalars.
        Case("#x\r\n", .badBoolean),
        Case("#tt\r\n", .missingCRLF),
        Case(",abc\r\n", .badDouble),
        Case(",\r\n", .badDouble),
        Case("(12a\r\n", .badBigNumber),
        Case("(\r\n", .badBigNumber),
        Case("(-\r\n", .badBigNumber),
        Case("=3\r\ntxt\r\n", .badVerbatim),
        Case("=4\r\ntxtX\r\n", .badVerbatim),
    ]

    @Test(arguments: cases)
    func rejectsWholeInput(_ hostile: Case) {
        var parser = RESPParser(limits: hostile.limits)
        var buffer = ByteBuffer(bytes: hostile.wire)
        #expect(throws: hostile.error) {
            _ = try parser.parse(&buffer)
        }
    }

    /// Fed byte by byte the parser must never produce a value, and must fail no later than the
    /// last byte: a hostile header is refused without waiting for the payload it announces.
    @Test(arguments: cases.filter { $0.wire.count <= 2_000 })
    func rejectsInputFedOneByteAtATime(_ hostile: Case) {
        var parser = RESPParser(limits: hostile.limits)
        var buffer = ByteBuffer()
        var thrown: RESPProtocolError?
        for byte in hostile.wire where thrown == nil {
            buffer.writeInteger(byte)
            do {
                let value = try parser.parse(&buffer)
                #expect(value == nil, "hostile input decoded to \(String(describing: value))")
            } catch {
                thrown = error
            }
        }
        #expect(thrown == hostile.error)
    }

    @Test func incompleteInputBelowTheLimitsWaits() throws {
        var parser = RESPParser()
        for wire in ["+" + String(repeating: "a", count: 65_536), "$3\r\nfoo\r", ":9223372036854775807", "*1\r\n*1\r\n"] {
            var buffer = ByteBuffer(string: wire)
            #expect(try parser.parse(&buffer) == nil)
            #expect(buffer.readableBytes == wire.utf8.count)
        }
    }

    @Test func hugeLengthUnderUnlimitedCapsWaitsWithoutOverflowing() throws {
        var parser = RESPParser(limits: RESPLimits(maxBulkLength: .max, maxElements: .max))
        for wire in ["$9223372036854775807\r\nabc", "*9223372036854775807\r\n:1\r\n", "%4611686018427387903\r\n"] {
            var buffer = ByteBuffer(string: wire)
            #expect(try parser.parse(&buffer) == nil)
        }
    }

    @Test func descriptionsAreOneReadableLine() {
        let expected: [(RESPProtocolError, String)] = [
            (.bulkTooLong(length: .max, limit: 67_108_864), "bulk length 9223372036854775807 exceeds the 67108864-byte limit"),
            (.aggregateTooLarge(count: 2_147_483_647, limit: 1_048_576), "aggregate of 2147483647 elements exceeds the limit of 1048576"),
            (.nestingTooDeep(limit: 32), "nesting deeper than 32 levels"),
            (.lengthOverflow, "integer overflow in length"),
            (.unknownTypeByte(0x41), "unknown type byte 0x41 ('A')"),
            (.unknownTypeByte(0x1B), "unknown type byte 0x1B"),
            (.unknownTypeByte(0x0A), "unknown type byte 0x0A"),
            (.lineTooLong(limit: 65_536), "line longer than 65536 bytes without CRLF"),
            (.badLength, "bad length"),
            (.missingCRLFAfterBulk, "missing CRLF after bulk data"),
        ]
        for (error, text) in expected {
            #expect(error.description == text)
        }
        let all = Self.cases.map(\.error) + [.mapTooLarge(pairs: 1, limit: 0), .badVerbatim]
        for error in all {
            #expect(!error.description.contains(where: { $0.isNewline || $0 == "\u{1B}" }))
        }
    }

    @Test func escapeSequencesPassThroughAsBytes() throws {
        let bytes: [UInt8] = [0x1B, 0x5B, 0x32, 0x4A, 0x00, 0x07, 0x08, 0x9B, 0x5C, 0x78, 0x31, 0x62]
        let wire = Array("$\(bytes.count)\r\n".utf8) + bytes + Array("\r\n".utf8)
        #expect(try parseOneByteAtATime(wire) == .bulkString(bytes))
    }
}
