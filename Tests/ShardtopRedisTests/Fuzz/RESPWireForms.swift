import NIOCore
import ShardtopRedis

/// Writes a value in any of the wire forms that must decode to it, chosen at random: the three
/// nulls (`_`, `$-1`, `*-1`), a bulk error (`!`) for an error, a `+` or leading zeros on an
/// integer, and RESP3 attributes (`|`) in front of any value, which the decoder drops.
/// RESPEncoder writes one canonical form only, so this is what reaches the decoder's other paths.
enum RESPWireForms {
    static func encode<R: RandomNumberGenerator>(_ value: RESPValue, using rng: inout R) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out, using: &rng)
        return out
    }

    private static func write<R: RandomNumberGenerator>(_ value: RESPValue, into out: inout [UInt8], using rng: inout R) {
        if Int.random(in: 0..<8, using: &rng) == 0 { writeAttribute(into: &out, using: &rng) }
        switch value {
        case .null:
            out += Array(["_\r\n", "$-1\r\n", "*-1\r\n"].randomElement(using: &rng)!.utf8)
        case .error(let message) where Bool.random(using: &rng):
            blob("!", Array(message.utf8), into: &out)
        case .integer(let number) where number >= 0 && Bool.random(using: &rng):
            out += Array(":+000\(number)\r\n".utf8)
        case .array(let elements):
            aggregate("*", elements, into: &out, using: &rng)
        case .set(let elements):
            aggregate("~", elements, into: &out, using: &rng)
        case .push(let elements):
            aggregate(">", elements, into: &out, using: &rng)
        case .map(let pairs):
            out += Array("%\(pairs.count)\r\n".utf8)
            for pair in pairs {
                write(pair.key, into: &out, using: &rng)
                write(pair.value, into: &out, using: &rng)
            }
        default:
            var buffer = ByteBuffer()
            RESPEncoder.encode(value, into: &buffer)
            out += buffer.readableBytesView
        }
    }

    private static func aggregate<R: RandomNumberGenerator>(_ type: String, _ elements: [RESPValue], into out: inout [UInt8], using rng: inout R) {
        out += Array("\(type)\(elements.count)\r\n".utf8)
        for element in elements { write(element, into: &out, using: &rng) }
    }

    private static func blob(_ type: String, _ payload: [UInt8], into out: inout [UInt8]) {
        out += Array("\(type)\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
    }

    /// An attribute map of zero or one pair; its contents are thrown away by the decoder.
    private static func writeAttribute<R: RandomNumberGenerator>(into out: inout [UInt8], using rng: inout R) {
        if Bool.random(using: &rng) {
            out += Array("|0\r\n".utf8)
        } else {
            out += Array("|1\r\n+ttl\r\n:3600\r\n".utf8)
        }
    }
}
