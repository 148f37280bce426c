import NIOCore
import NIOEmbedded
import Testing

import ShardtopRedis

/// One wire encoding and the value it must decode to. Shared by the parser and encoder tests so
/// that every fixture is also checked byte by byte and round-tripped.
struct RESPFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let wire: [UInt8]
    let value: RESPValue

    init(_ name: String, _ wire: String, _ value: RESPValue) {
        self.init(name, Array(wire.utf8), value)
    }

    init(_ name: String, _ wire: [UInt8], _ value: RESPValue) {
        self.name = name
        self.wire = wire
        self.value = value
    }

    var testDescription: String { name }
}

private func bulk(_ text: String) -> RESPValue { .bulkString(Array(text.utf8)) }
private func simple(_ text: String) -> RESPValue { .simpleString(text) }

enum RESPFixtures {
    static let resp2: [RESPFixture] = [
        RESPFixture("simple string", "+OK\r\n", simple("OK")),
        RESPFixture("empty simple string", "+\r\n", simple("")),
        RESPFixture("error", "-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        RESPFixture("MOVED redirection", "-MOVED 3999 127.0.0.1:6381\r\n", .error("MOVED 3999 127.0.0.1:6381")),
        RESPFixture("zero", ":0\r\n", .integer(0)),
        RESPFixture("integer", ":1000\r\n", .integer(1000)),
        RESPFixture("negative integer", ":-42\r\n", .integer(-42)),
        RESPFixture("plus-signed integer", ":+7\r\n", .integer(7)),
        RESPFixture("Int64.max", ":9223372036854775807\r\n", .integer(.max)),
        RESPFixture("Int64.min", ":-9223372036854775808\r\n", .integer(.min)),
        RESPFixture("bulk string", "$5\r\nhello\r\n", bulk("hello")),
        RESPFixture("empty bulk string", "$0\r\n\r\n", bulk("")),
        RESPFixture("binary bulk with CRLF inside", [0x24, 0x34, 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0xFF, 0x0D, 0x0A],
                    .bulkString([0x0D, 0x0A, 0x00, 0xFF])),
        RESPFixture("null bulk string", "$-1\r\n", .null),
        RESPFixture("null array", "*-1\r\n", .null),
        RESPFixture("empty array", "*0\r\n", .array([])),
        RESPFixture("array of integers", "*3\r\n:1\r\n:2\r\n:3\r\n", .array([.integer(1), .integer(2), .integer(3)])),
        RESPFixture("array with null element", "*3\r\n$3\r\nfoo\r\n$-1\r\n:5\r\n", .array([bulk("foo"), .null, .integer(5)])),
        RESPFixture("nested arrays", "*3\r\n*1\r\n+a\r\n*0\r\n*2\r\n*1\r\n:1\r\n-E\r\n",
                    .array([.array([simple("a")]), .array([]), .array([.array([.integer(1)]), .error("E")])])),
        RESPFixture("CLUSTER SLOTS entry",
                    "*1\r\n*3\r\n:0\r\n:5460\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$4\r\nabcd\r\n",
                    .array([.array([.integer(0), .integer(5460), .array([bulk("127.0.0.1"), .integer(7000), bulk("abcd")])])])),
        // Escape sequences are ordinary bytes to the codec; making them safe to display is the UI's job.
        RESPFixture("terminal escape in simple string", "+\u{1B}[31mred\u{1B}[0m\r\n", simple("\u{1B}[31mred\u{1B}[0m")),
        RESPFixture("OSC escape and BEL in error", "-ERR \u{1B}]0;pwned\u{07}\r\n", .error("ERR \u{1B}]0;pwned\u{07}")),
        RESPFixture("backslash escapes stay literal", "$6\r\na\\nb\\r\r\n", bulk("a\\nb\\r")),
        RESPFixture("invalid UTF-8 in simple string", [0x2B, 0x61, 0xFF, 0x62, 0x0D, 0x0A], simple("a\u{FFFD}b")),
    ]

    static let resp3: [RESPFixture] = [
        RESPFixture("RESP3 null", "_\r\n", .null),
        RESPFixture("double", ",3.14\r\n", .double(3.14)),
        RESPFixture("negative double", ",-0.5\r\n", .double(-0.5)),
        RESPFixture("integral double", ",10\r\n", .double(10)),
        RESPFixture("exponent double", ",1.5e10\r\n", .double(1.5e10)),
        RESPFixture("infinity", ",inf\r\n", .double(.infinity)),
        RESPFixture("negative infinity", ",-inf\r\n", .double(-.infinity)),
        RESPFixture("true", "#t\r\n", .boolean(true)),
        RESPFixture("false", "#f\r\n", .boolean(false)),
        RESPFixture("big number", "(3492890328409238509324850943850943825024385\r\n",
                    .bigNumber("3492890328409238509324850943850943825024385")),
        RESPFixture("negative big number", "(-1\r\n", .bigNumber("-1")),
        RESPFixture("bulk error", "!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
        RESPFixture("empty bulk error", "!0\r\n\r\n", .error("")),
        RESPFixture("verbatim string", "=15\r\ntxt:Some string\r\n", .verbatim(format: "txt", text: "Some string")),
        RESPFixture("empty verbatim text", "=4\r\nmkd:\r\n", .verbatim(format: "mkd", text: "")),
        RESPFixture("verbatim with CRLF inside", "=10\r\ntxt:a\r\nb\r\n\r\n", .verbatim(format: "txt", text: "a\r\nb\r\n")),
        RESPFixture("map", "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
                    .map([RESPPair(key: simple("first"), value: .integer(1)), RESPPair(key: simple("second"), value: .integer(2))])),
        RESPFixture("empty map", "%0\r\n", .map([])),
        RESPFixture("map keeps repeated keys in order", "%2\r\n+k\r\n:1\r\n+k\r\n:2\r\n",
                    .map([RESPPair(key: simple("k"), value: .integer(1)), RESPPair(key: simple("k"), value: .integer(2))])),
        RESPFixture("nested maps",
                    "%2\r\n$4\r\nnode\r\n%2\r\n+id\r\n:1\r\n+flags\r\n~2\r\n+master\r\n+myself\r\n+empty\r\n%0\r\n",
                    .map([
                        RESPPair(key: bulk("node"), value: .map([
                            RESPPair(key: simple("id"), value: .integer(1)),
                            RESPPair(key: simple("flags"), value: .set([simple("master"), simple("myself")])),
                        ])),
                        RESPPair(key: simple("empty"), value: .map([])),
                    ])),
        RESPFixture("map with aggregate key", "%1\r\n*2\r\n:1\r\n:2\r\n#t\r\n",
                    .map([RESPPair(key: .array([.integer(1), .integer(2)]), value: .boolean(true))])),
        RESPFixture("set", "~3\r\n+a\r\n+b\r\n+c\r\n", .set([simple("a"), simple("b"), simple("c")])),
        RESPFixture("empty set", "~0\r\n", .set([])),
        RESPFixture("push", ">3\r\n+message\r\n+chan\r\n$5\r\nhello\r\n", .push([simple("message"), simple("chan"), bulk("hello")])),
        RESPFixture("empty push", ">0\r\n", .push([])),
        RESPFixture("attribute before top-level value",
                    "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
                    .array([.integer(2039123), .integer(9543892)])),
        RESPFixture("attribute before an element", "*2\r\n|1\r\n+ttl\r\n:3600\r\n$3\r\nfoo\r\n:7\r\n",
                    .array([bulk("foo"), .integer(7)])),
        RESPFixture("attribute before the last element", "*1\r\n|1\r\n+a\r\n+b\r\n:1\r\n", .array([.integer(1)])),
        RESPFixture("empty attribute", "|0\r\n+OK\r\n", simple("OK")),
        RESPFixture("attribute before a map value", "%1\r\n+k\r\n|1\r\n+a\r\n+b\r\n:9\r\n",
                    .map([RESPPair(key: simple("k"), value: .integer(9))])),
        RESPFixture("attribute inside an attribute", "|1\r\n+a\r\n|1\r\n+x\r\n+y\r\n+b\r\n:5\r\n", .integer(5)),
        RESPFixture("consecutive attributes", "|0\r\n|1\r\n+a\r\n+b\r\n_\r\n", .null),
        RESPFixture("every type in one array",
                    "*13\r\n+s\r\n-e\r\n:1\r\n$1\r\nb\r\n_\r\n*0\r\n,1.5\r\n#t\r\n(9\r\n=5\r\ntxt:v\r\n%0\r\n~0\r\n>0\r\n",
                    .array([simple("s"), .error("e"), .integer(1), bulk("b"), .null, .array([]), .double(1.5),
                            .boolean(true), .bigNumber("9"), .verbatim(format: "txt", text: "v"), .map([]), .set([]), .push([])])),
    ]

    static let all = resp2 + resp3
}

/// Feeds `wire` one byte at a time, checking that nothing is returned or consumed until the last
/// byte arrives. Returns the value decoded from the complete input.
func parseOneByteAtATime(_ wire: [UInt8], limits: RESPLimits = .default) throws -> RESPValue? {
    var parser = RESPParser(limits: limits)
    var buffer = ByteBufferAllocator().buffer(capacity: wire.count)
    for (offset, byte) in wire.enumerated() {
        buffer.writeInteger(byte)
        let readerIndex = buffer.readerIndex
        let value = try parser.parse(&buffer)
        if offset < wire.count - 1 {
            #expect(value == nil, "decoded a value after only \(offset + 1) of \(wire.count) bytes")
            #expect(buffer.readerIndex == readerIndex, "consumed bytes of an incomplete value")
        } else {
            #expect(buffer.readableBytes == 0)
            return value
        }
    }
    return nil
}

/// Decodes every complete value in `chunks`, fed in order, the way a channel delivers reads.
func parseStream(_ chunks: [[UInt8]], limits: RESPLimits = .default) throws -> (values: [RESPValue], leftover: Int) {
    var parser = RESPParser(limits: limits)
    var buffer = ByteBufferAllocator().buffer(capacity: 0)
    var values: [RESPValue] = []
    for chunk in chunks {
        buffer.writeBytes(chunk)
        while let value = try parser.parse(&buffer) {
            values.append(value)
        }
    }
    return (values, buffer.readableBytes)
}

/// Deterministic so that a failing chunking can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RESPParserTests {
    @Test(arguments: RESPFixtures.all)
    func decodesWholeBuffer(_ fixture: RESPFixture) throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(bytes: fixture.wire)
        #expect(try parser.parse(&buffer) == fixture.value)
        #expect(buffer.readableBytes == 0)
    }

    @Test(arguments: RESPFixtures.all)
    func decodesOneByteAtATime(_ fixture: RESPFixture) throws {
        #expect(try parseOneByteAtATime(fixture.wire) == fixture.value)
    }

    @Test func decodesPipelinedValuesInOneBuffer() throws {
        let stream = RESPFixtures.all.flatMap(\.wire)
        let decoded = try parseStream([stream])
        #expect(decoded.values == RESPFixtures.all.map(\.value))
        #expect(decoded.leftover == 0)
    }

    @Test func decodesPipelinedValuesOneByteAtATime() throws {
        let stream = RESPFixtures.all.flatMap(\.wire)
        let decoded = try parseStream(stream.map { [$0] })
        #expect(decoded.values == RESPFixtures.all.map(\.value))
        #expect(decoded.leftover == 0)
    }

    @Test(arguments: [1, 2, 3, 42])
    func decodesPipelinedValuesInRandomChunks(seed: UInt64) throws {
        let stream = RESPFixtures.all.flatMap(\.wire)
        var random = SplitMix64(state: seed)
        var chunks: [[UInt8]] = []
        var start = 0
        while start < stream.count {
            let end = min(stream.count, start + Int.random(in: 1...40, using: &random))
            chunks.append(Array(stream[start..<end]))
            start = end
        }
        let decoded = try parseStream(chunks)
        #expect(decoded.values == RESPFixtures.all.map(\.value))
    }

    @Test func leavesTrailingPartialValueUntouched() throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: "+OK\r\n*2\r\n:1\r\n")
        #expect(try parser.parse(&buffer) == simple("OK"))
        #expect(try parser.parse(&buffer) == nil)
        #expect(buffer.readableBytesView.elementsEqual("*2\r\n:1\r\n".utf8))
        buffer.writeString(":2\r\n")
        #expect(try parser.parse(&buffer) == .array([.integer(1), .integer(2)]))
    }

    @Test func emptyBufferIsIncomplete() throws {
        var parser = RESPParser()
        var buffer = ByteBuffer()
        #expect(try parser.parse(&buffer) == nil)
    }

    @Test func decodesNaN() throws {
        for wire in [",nan\r\n", ",-nan\r\n"] {
            let value = try parseOneByteAtATime(Array(wire.utf8))
            guard case .double(let number) = value else {
                Issue.record("expected a double, got \(String(describing: value))")
                continue
            }
            #expect(number.isNaN)
        }
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let limits = RESPLimits(maxDepth: 32)
        let wire = String(repeating: "*1\r\n", count: 32) + ":1\r\n"
        var expected = RESPValue.integer(1)
        for _ in 0..<32 { expected = .array([expected]) }
        #expect(try parseOneByteAtATime(Array(wire.utf8), limits: limits) == expected)
    }

    /// The parser keeps its own stack, so a generous depth limit is safe on small thread stacks.
    @Test func deepNestingAllowedByLimitsDoesNotRecurse() throws {
        let depth = 2_000
        var parser = RESPParser(limits: RESPLimits(maxDepth: depth))
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: depth) + ":1\r\n")
        var value = try #require(try parser.parse(&buffer))
        var levels = 0
        while case .array(let elements) = value, let only = elements.first {
            levels += 1
            value = only
        }
        #expect(levels == depth)
        #expect(value == .integer(1))
    }

    @Test func acceptsLineOfExactlyTheLimit() throws {
        let limits = RESPLimits(maxLineLength: 8)
        #expect(try parseOneByteAtATime(Array("+12345678\r\n".utf8), limits: limits) == simple("12345678"))
    }

    /// A bulk string arriving in many reads must cost only its header per attempt; rescanning the
    /// payload every time would make this test take minutes instead of milliseconds.
    @Test func largeBulkStringArrivingInSmallChunks() throws {
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 4 * 1024 * 1024)
        let wire = Array("*2\r\n:1\r\n$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
        let chunks = stride(from: 0, to: wire.count, by: 1024).map { Array(wire[$0..<min(wire.count, $0 + 1024)]) }
        let started = ContinuousClock.now
        let decoded = try parseStream(chunks)
        #expect(decoded.values == [.array([.integer(1), .bulkString(payload)])])
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func manyTopLevelAttributesAreSkippedIteratively() throws {
        let wire = String(repeating: "|0\r\n", count: 100_000) + "+OK\r\n"
        let decoded = try parseStream([Array(wire.utf8)])
        #expect(decoded.values == [simple("OK")])
    }

    @Test func accessors() {
        #expect(simple("OK").string == "OK")
        #expect(bulk("héllo").string == "héllo")
        #expect(RESPValue.bulkString([0x61, 0xFF]).string == "a\u{FFFD}")
        #expect(RESPValue.verbatim(format: "txt", text: "t").string == "t")
        #expect(RESPValue.bigNumber("123").string == "123")
        #expect(RESPValue.integer(5).string == nil)
        #expect(RESPValue.error("ERR").string == nil)

        #expect(RESPValue.integer(-3).int == -3)
        #expect(simple("42").int == 42)
        #expect(bulk("-7").int == -7)
        #expect(bulk("4x").int == nil)
        #expect(RESPValue.double(1).int == nil)

        #expect(RESPValue.array([.null]).array == [.null])
        #expect(RESPValue.set([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.push([simple("m")]).array == [simple("m")])
        #expect(RESPValue.map([]).array == nil)

        #expect(RESPValue.error("MOVED 1 h:1").errorMessage == "MOVED 1 h:1")
        #expect(simple("ERR").errorMessage == nil)
    }
}
