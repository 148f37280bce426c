import NIOCore

/// Writes RESP on the client side of a connection.
public enum RESPEncoder {
    /// Encodes a command as an array of bulk strings, the only request form servers must accept.
    /// Bulk strings (rather than an inline command) keep spaces, CR/LF and binary bytes in
    /// arguments from being misread.
    public static func encode(command: [String], into buffer: inout ByteBuffer) {
        writeHeader(UInt8(ascii: "*"), count: command.count, into: &buffer)
        for argument in command {
            writeHeader(UInt8(ascii: "$"), count: argument.utf8.count, into: &buffer)
            buffer.writeString(argument)
            writeCRLF(into: &buffer)
        }
    }

    public static func encode(command: [[UInt8]], into buffer: inout ByteBuffer) {
        writeHeader(UInt8(ascii: "*"), count: command.count, into: &buffer)
        for argument in command {
            writeHeader(UInt8(ascii: "$"), count: argument.count, into: &buffer)
            buffer.writeBytes(argument)
            writeCRLF(into: &buffer)
        }
    }

    /// Encodes any value in its RESP3 form (`.null` becomes `_`), so tests and fake servers can
    /// produce replies without hand-writing wire bytes. Simple strings and errors are written as
    /// given: the caller must not put CR or LF in them.
    public static func encode(_ value: RESPValue, into buffer: inout ByteBuffer) {
        switch value {
        case .simpleString(let text):
            writeLine(UInt8(ascii: "+"), text, into: &buffer)
        case .error(let message):
            writeLine(UInt8(ascii: "-"), message, into: &buffer)
        case .integer(let number):
            writeLine(UInt8(ascii: ":"), String(number), into: &buffer)
        case .bulkString(let bytes):
            writeHeader(UInt8(ascii: "$"), count: bytes.count, into: &buffer)
            buffer.writeBytes(bytes)
            writeCRLF(into: &buffer)
        case .null:
            writeLine(UInt8(ascii: "_"), "", into: &buffer)
        case .array(let elements):
            writeAggregate(UInt8(ascii: "*"), elements, into: &buffer)
        case .double(let number):
            writeLine(UInt8(ascii: ","), doubleText(number), into: &buffer)
        case .boolean(let flag):
            writeLine(UInt8(ascii: "#"), flag ? "t" : "f", into: &buffer)
        case .bigNumber(let digits):
            writeLine(UInt8(ascii: "("), digits, into: &buffer)
        case .verbatim(let format, let text):
            let payload = format + ":" + text
            writeHeader(UInt8(ascii: "="), count: payload.utf8.count, into: &buffer)
            buffer.writeString(payload)
            writeCRLF(into: &buffer)
        case .map(let pairs):
            writeHeader(UInt8(ascii: "%"), count: pairs.count, into: &buffer)
            for pair in pairs {
                encode(pair.key, into: &buffer)
                encode(pair.value, into: &buffer)
            }
        case .set(let elements):
            writeAggregate(UInt8(ascii: "~"), elements, into: &buffer)
        case .push(let elements):
            writeAggregate(UInt8(ascii: ">"), elements, into: &buffer)
        }
    }

    private static func writeAggregate(_ type: UInt8, _ elements: [RESPValue], into buffer: inout ByteBuffer) {
        writeHeader(type, count: elements.count, into: &buffer)
        for element in elements {
            encode(element, into: &buffer)
        }
    }

    /// RESP3 spells the special values `inf`, `-inf` and `nan`, which Swift's description matches
    /// except for the sign Swift may print on NaN.
    private static func doubleText(_ number: Double) -> String {
        number.isNaN ? "nan" : number.description
    }

    private static func writeHeader(_ type: UInt8, count: Int, into buffer: inout ByteBuffer) {
        writeLine(type, String(count), into: &buffer)
    }

    private static func writeLine(_ type: UInt8, _ text: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(type)
        buffer.writeString(text)
        writeCRLF(into: &buffer)
    }

    private static func writeCRLF(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("\r\n")
    }
}
