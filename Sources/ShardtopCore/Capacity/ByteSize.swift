/// Sizes as Redis writes them in its config, so `--target-memory` reads like `maxmemory`:
/// `1k` = 1000 and `1kb` = 1024 bytes, likewise m/mb, g/gb, t/tb; a plain number is bytes.
/// Fractions are allowed ("1.5gb"). Case does not matter.
public enum ByteSize {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// 1 PiB: a size past this is a typo, not a plan.
    public static let maximum: Int64 = 1 << 50

    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        let lowered = text.lowercased().trimmingSpaces
        let units: [(String, Double)] = [
            ("kb", 1024), ("mb", 1024 * 1024), ("gb", 1024 * 1024 * 1024), ("tb", 1024 * 1024 * 1024 * 1024),
            ("k", 1e3), ("m", 1e6), ("g", 1e9), ("t", 1e12), ("b", 1),
        ]
        var number = Substring(lowered)
        var scale = 1.0
        for (suffix, factor) in units where lowered.hasSuffix(suffix) {
            number = lowered.dropLast(suffix.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite
        else {
            throw ParseError(description: "'\(text)' is not a size: use bytes or a unit as in redis.conf, e.g. 512mb, 4gb, 1.5g")
        }
        let bytes = value * scale
        guard bytes >= 1, bytes <= Double(maximum) else {
            throw ParseError(description: "'\(text)' must be between 1 byte and 1 PiB")
        }
        return Int64(bytes.rounded())
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
