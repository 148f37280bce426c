import PropertyBased
import ShardtopRedis

/// Random RESP values of every kind, nested up to a small depth, restricted to the values that
/// survive an encode/decode round trip unchanged (no CR in simple lines, no NaN, which is not
/// equal to itself, verbatim formats of exactly three bytes).
enum RESPValueGen {
    static func value(depth: Int = 3) -> Generator<RESPValue, Shrink.None<RESPValue>> {
        Generator { rng in random(depth: depth, using: &rng) }
    }

    static func random<R: RandomNumberGenerator>(depth: Int, using rng: inout R) -> RESPValue {
        // Aggregates get rarer with depth so that generated values stay small on average.
        let kinds = depth > 0 ? 14 : 9
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0: return .simpleString(line(using: &rng))
        case 1: return .error(line(using: &rng))
        case 2: return .integer(integer(using: &rng))
        case 3: return .bulkString(bytes(using: &rng))
        case 4: return .null
        case 5: return .double(double(using: &rng))
        case 6: return .boolean(Bool.random(using: &rng))
        case 7: return .bigNumber(bigNumber(using: &rng))
        case 8: return .verbatim(format: format(using: &rng), text: text(using: &rng))
        case 9: return .array(elements(depth: depth, using: &rng))
        case 10: return .set(elements(depth: depth, using: &rng))
        case 11: return .push(elements(depth: depth, using: &rng))
        case 12:
            let count = Int.random(in: 0...3, using: &rng)
            return .map((0..<count).map { _ in
                RESPPair(key: random(depth: depth - 1, using: &rng), value: random(depth: depth - 1, using: &rng))
            })
        default: return .array([])
        }
    }

    private static func elements<R: RandomNumberGenerator>(depth: Int, using rng: inout R) -> [RESPValue] {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in random(depth: depth - 1, using: &rng) }
    }

    /// Edges first: the boundaries are where digit-by-digit overflow checks go wrong.
    private static func integer<R: RandomNumberGenerator>(using rng: inout R) -> Int64 {
        let edges: [Int64] = [0, -1, 1, .max, .min, .max - 1, .min + 1, 9, 10, -10]
        return Bool.random(using: &rng) ? edges.randomElement(using: &rng)! : Int64.random(in: .min ... .max, using: &rng)
    }

    private static func double<R: RandomNumberGenerator>(using rng: inout R) -> Double {
        let edges: [Double] = [0, -0.0, 1.5, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 1e300, -2.5e-300]
        if Bool.random(using: &rng) { return edges.randomElement(using: &rng)! }
        let any = Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng))
        return any.isNaN ? 0 : any
    }

    private static func bigNumber<R: RandomNumberGenerator>(using rng: inout R) -> String {
        let sign = ["", "-", "+"].randomElement(using: &rng)!
        let digits = (0..<Int.random(in: 1...60, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }
        return sign + digits.joined()
    }

    private static func format<R: RandomNumberGenerator>(using rng: inout R) -> String {
        String((0..<3).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x21...0x7E, using: &rng))) })
    }

    /// Any bytes at all, control and escape bytes included: bulk strings are binary-safe.
    static func bytes<R: RandomNumberGenerator>(using rng: inout R) -> [UInt8] {
        let count = Int.random(in: 0...1, using: &rng) == 0 ? Int.random(in: 0...8, using: &rng) : Int.random(in: 0...300, using: &rng)
        return (0..<count).map { _ in UInt8.random(in: 0 ... .max, using: &rng) }
    }

    /// Valid Unicode with the awkward parts: C0 and C1 controls, ESC, NEL, LS, combining marks, emoji.
    static func text<R: RandomNumberGenerator>(using rng: inout R) -> String {
        let awkward: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{00}", "\u{9B}", "\u{85}", "\u{2028}", "\u{301}", "\u{1F600}", "é", "\n", "\r", ":"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &rng) {
            if Bool.random(using: &rng) {
                scalars.append(awkward.randomElement(using: &rng)!)
            } else {
                scalars.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng)))
            }
        }
        return String(scalars)
    }

    /// Text for a `+`/`-` line: anything but CR, which would end the line early.
    private static func line<R: RandomNumberGenerator>(using rng: inout R) -> String {
        String(text(using: &rng).unicodeScalars.filter { $0 != "\r" })
    }
}
