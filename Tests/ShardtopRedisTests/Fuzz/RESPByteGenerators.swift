import PropertyBased
import ShardtopRedis

/// Hostile and broken byte streams for the decoder. Uniform random bytes almost always fail at
/// the first type byte, so both generators stay close to RESP to reach the deeper paths.
enum RESPBytesGen {
    /// Pieces RESP is made of, plus the numbers and bytes that sit on the decoder's boundaries.
    static let tokens: [[UInt8]] = [
        "*", "$", "%", "|", "~", ">", "+", "-", ":", ",", "#", "(", "=", "!", "_",
        "\r\n", "\r", "\n", "0", "1", "2", "3", "-1", "-2", "+5", "00", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "18446744073709551616", "67108864", "1048577", "t", "f", "inf", "-inf", "nan", "1e400",
        "txt:", "OK", "ERR", "\u{1B}[2J", "\u{9B}", " ",
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC2], [0xE2, 0x80]]

    /// A sequence of tokens, shrinkable to the few that still fail.
    static var soup: Generator<[UInt8], some SendableSequenceType> {
        Gen.element(of: tokens).array(of: 0...60).map { $0.compactMap { $0 }.flatMap { $0 } }
    }

    /// A real reply (in any of its wire forms) with one to four random mutations: a flipped byte,
    /// an inserted token, a deleted or duplicated span, or a cut.
    static var mutated: Generator<[UInt8], Shrink.None<[UInt8]>> {
        Generator { rng in
            var wire = RESPWireForms.encode(RESPValueGen.random(depth: 3, using: &rng), using: &rng)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                mutate(&wire, using: &rng)
            }
            return wire
        }
    }

    private static func mutate<R: RandomNumberGenerator>(_ wire: inout [UInt8], using rng: inout R) {
        let at = Int.random(in: 0...wire.count, using: &rng)
        let to = Int.random(in: at...min(wire.count, at + 16), using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0 where at < wire.count: wire[at] = UInt8.random(in: 0 ... .max, using: &rng)
        case 1: wire.insert(contentsOf: tokens.randomElement(using: &rng)!, at: at)
        case 2: wire.removeSubrange(at..<to)
        case 3: wire.insert(contentsOf: Array(wire[at..<to]), at: to)
        default: wire.removeSubrange(at...)
        }
    }

    /// Read sizes for one delivery of a stream, cycled; mostly tiny so that values are cut everywhere.
    static var chunking: Generator<[Int], some SendableSequenceType> {
        Gen.int(in: 1...9).array(of: 1...8)
    }
}
