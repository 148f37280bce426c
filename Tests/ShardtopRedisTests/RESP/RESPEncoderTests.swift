import NIOCore
import Testing

import ShardtopRedis

@Suite struct RESPEncoderTests {
    private func wire(_ command: [String]) -> String {
        var buffer = ByteBuffer()
        RESPEncoder.encode(command: command, into: &buffer)
        return String(buffer: buffer)
    }

    @Test func encodesCommandAsArrayOfBulkStrings() {
        #expect(wire(["CLUSTER", "NODES"]) == "*2\r\n$7\r\nCLUSTER\r\n$5\r\nNODES\r\n")
        #expect(wire(["PING"]) == "*1\r\n$4\r\nPING\r\n")
    }

    @Test func encodesEmptyCommandAndEmptyArgument() {
        #expect(wire([]) == "*0\r\n")
        #expect(wire(["ECHO", ""]) == "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")
    }

    @Test func lengthsCountUTF8BytesNotCharacters() {
        #expect(wire(["SET", "clé", "✓"]) == "*3\r\n$3\r\nSET\r\n$4\r\nclé\r\n$3\r\n✓\r\n")
    }

    /// Spaces, CRLF and escape bytes inside an argument must not split it or end it early.
    @Test func argumentsKeepSpacesCRLFAndEscapes() throws {
        let command = ["SET", "key with spaces", "line1\r\nline2", "\u{1B}[2J"]
        var buffer = ByteBuffer()
        RESPEncoder.encode(command: command, into: &buffer)
        var parser = RESPParser()
        #expect(try parser.parse(&buffer) == .array(command.map { .bulkString(Array($0.utf8)) }))
        #expect(buffer.readableBytes == 0)
    }

    @Test func encodesBinaryArguments() {
        var buffer = ByteBuffer()
        RESPEncoder.encode(command: [Array("GET".utf8), [0x00, 0xFF, 0x0D, 0x0A]], into: &buffer)
        let expected: [UInt8] = Array("*2\r\n$3\r\nGET\r\n$4\r\n".utf8) + [0x00, 0xFF, 0x0D, 0x0A] + Array("\r\n".utf8)
        #expect(Array(buffer.readableBytesView) == expected)
    }

    @Test func appendsToExistingBufferForPipelining() throws {
        var buffer = ByteBuffer()
        RESPEncoder.encode(command: ["CLUSTER", "INFO"], into: &buffer)
        RESPEncoder.encode(command: [Array("INFO".utf8), Array("server".utf8)], into: &buffer)
        let decoded = try parseStream([Array(buffer.readableBytesView)])
        #expect(decoded.values == [
            .array([.bulkString(Array("CLUSTER".utf8)), .bulkString(Array("INFO".utf8))]),
            .array([.bulkString(Array("INFO".utf8)), .bulkString(Array("server".utf8))]),
        ])
    }

    @Test func encodesValuesInRESP3Form() {
        let expected: [(RESPValue, String)] = [
            (.simpleString("OK"), "+OK\r\n"),
            (.error("ERR x"), "-ERR x\r\n"),
            (.integer(-5), ":-5\r\n"),
            (.bulkString(Array("hi".utf8)), "$2\r\nhi\r\n"),
            (.null, "_\r\n"),
            (.double(1.5), ",1.5\r\n"),
            (.double(.infinity), ",inf\r\n"),
            (.double(-.infinity), ",-inf\r\n"),
            (.double(.nan), ",nan\r\n"),
            (.boolean(false), "#f\r\n"),
            (.bigNumber("123456789012345678901234567890"), "(123456789012345678901234567890\r\n"),
            (.verbatim(format: "txt", text: "Some string"), "=15\r\ntxt:Some string\r\n"),
            (.map([RESPPair(key: .simpleString("k"), value: .integer(1))]), "%1\r\n+k\r\n:1\r\n"),
            (.set([.boolean(true)]), "~1\r\n#t\r\n"),
            (.push([.simpleString("m")]), ">1\r\n+m\r\n"),
            (.array([]), "*0\r\n"),
        ]
        for (value, text) in expected {
            var buffer = ByteBuffer()
            RESPEncoder.encode(value, into: &buffer)
            #expect(String(buffer: buffer) == text)
        }
    }

    @Test(arguments: RESPFixtures.all)
    func valueRoundTripsThroughEncoderAndParser(_ fixture: RESPFixture) throws {
        var buffer = ByteBuffer()
        RESPEncoder.encode(fixture.value, into: &buffer)
        #expect(try parseOneByteAtATime(Array(buffer.readableBytesView)) == fixture.value)
    }
}
