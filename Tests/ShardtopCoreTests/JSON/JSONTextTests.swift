import Foundation
import Testing
import ShardtopCore

/// `JSONText` must write what `JSONEncoder([.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])`
/// writes, byte for byte, apart from its two documented safety differences.
@Suite struct JSONTextTests {
    static func encoderBytes(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// nil when equal; else the line where they first part, so a failure reads in one line.
    static func difference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
        guard actual != expected else { return nil }
        let left = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let right = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let got = index < left.count ? String(left[index]) : "(end)"
            let want = index < right.count ? String(right[index]) : "(end)"
            if got != want { return "line \(index + 1): got \(got.debugDescription), JSONEncoder wrote \(want.debugDescription)" }
        }
        return "same lines, different bytes"
    }

    @Test func randomTreesMatchJSONEncoder() throws {
        for seed in UInt64(1)...300 {
            var rng = SeededGenerator(seed: seed)
            let tree = RandomJSON.object(depth: 0, rng: &rng)
            let expected = try Self.encoderBytes(tree)
            let difference = Self.difference(JSONText.pretty(tree), expected)
            #expect(difference == nil, "seed \(seed): \(difference ?? "")")
            if difference != nil { return }
        }
    }

    @Test func emptyContainersAndEdgeNumbersMatchJSONEncoder() throws {
        let tree = JSONValue.object([
            JSONMember("emptyArray", .array([])),
            JSONMember("emptyObject", .object([])),
            JSONMember("nested", .array([.array([]), .object([]), .null])),
            JSONMember("whole", .double(3)),
            JSONMember("negativeZero", .double(-0.0)),
            JSONMember("tiny", .double(5e-324)),
            JSONMember("huge", .double(1.5e300)),
            JSONMember("small", .double(1e-7)),
            JSONMember("big", .double(123_456_789_012_345_678)),
            JSONMember("min", .int(.min)),
            JSONMember("max", .int(.max)),
            JSONMember("Upper", .bool(true)),
            JSONMember("lower", .bool(false)),
        ])
        #expect(Self.difference(JSONText.pretty(tree), try Self.encoderBytes(tree)) == nil)
    }

    @Test func everyControlCharacterIsEscapedAsJSONEncoderDoes() throws {
        let text = String(decoding: (0..<0x20).map { UInt8($0) } + Array("\"\\/é😀\u{2028}".utf8), as: UTF8.self)
        let tree = JSONValue.object([JSONMember("text", .string(text)), JSONMember(text, .int(1))])
        #expect(Self.difference(JSONText.pretty(tree), try Self.encoderBytes(tree)) == nil)
    }

    /// DEL and the C1 controls act on a terminal; they are escaped and still decode to the same string.
    @Test func deleteAndC1ControlsAreEscapedAndDecodeBack() throws {
        let text = "a\u{7F}b\u{9B}31mc\u{80}\u{9F}\u{A0}é"
        let bytes = JSONText.pretty(.object([JSONMember("text", .string(text))]))
        let written = String(decoding: bytes, as: UTF8.self)
        #expect(written.contains("a\\u007fb\\u009b31mc\\u0080\\u009f\u{A0}é"))
        #expect(!bytes.contains(0x7F))
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(bytes))
        #expect(decoded["text"] == text)
    }

    @Test func nonFiniteNumbersAreNull() {
        let bytes = JSONText.pretty(.array([.double(.nan), .double(.infinity), .double(-.infinity)]))
        #expect(String(decoding: bytes, as: UTF8.self) == "[\n  null,\n  null,\n  null\n]")
    }
}

/// Random JSON trees for the comparison: every kind of value, keys in no order, strings with
/// escapes, quotes, slashes and non-ASCII text (but no DEL or C1, where `JSONText` differs on purpose).
enum RandomJSON {
    static let pieces = ["a", "Z", "key", "lagBytes", "lagSeconds", "_", "1", "é", "😀", "\"", "\\", "/", "\n", "\t",
                         "\u{1}", "\u{1F}", " ", "slots", "\u{2028}", "ß", "aa", "A"]

    static func string(_ rng: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func value(depth: Int, rng: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth < 3 ? 8 : 6), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng))
        case 3: return .double(double(&rng))
        case 4: return .string(string(&rng))
        case 5: return .int(Int64(Int.random(in: -5...5, using: &rng)))
        case 6: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth: depth + 1, rng: &rng) })
        default: return object(depth: depth + 1, rng: &rng)
        }
    }

    static func object(depth: Int, rng: inout SeededGenerator) -> JSONValue {
        var seen = Set<String>()
        var members: [JSONMember] = []
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            let key = string(&rng)
            guard seen.insert(key).inserted else { continue }
            members.append(JSONMember(key, value(depth: depth, rng: &rng)))
        }
        return .object(members)
    }

    static func double(_ rng: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return Double(Int.random(in: -1000...1000, using: &rng))
        case 1: return Double.random(in: 0..<1, using: &rng)
        case 2: return Double.random(in: -1e6...1e6, using: &rng)
        case 3: return Double(sign: .plus, exponent: Int.random(in: -1000...1000, using: &rng), significand: Double.random(in: 1..<2, using: &rng))
        case 4: return Double(Int.random(in: 0...100, using: &rng)) / 100
        default: return [0.1, 0.5, 100, 1e21, 1e-7, 12.345].randomElement(using: &rng)!
        }
    }
}
