/// Edits a server reply at the scalar level: inserts a piece that is structure to the text
/// parsers (separators, line breaks, arrows, huge numbers) or hostile to a terminal, deletes or
/// duplicates a span, or cuts the text short.
enum TextMutation {
    static let pieces: [String] = [
        " ", "\t", ",", "@", ":", "=", "[", "]", "->-", "-<-", "-", "#", "\n", "\r\n", "\r", "\u{0B}", "\u{85}", "\u{2028}",
        "0", "16383", "16384", "65535", "65536", "-1", "99999999999999999999", "connected", "myself,master", "noflags",
        "\u{00}", "\u{1B}[2J", "\u{1B}]0;x\u{07}", "\u{7F}", "\u{9B}", "\u{301}", "\u{FEFF}", "\u{1F600}", "é",
        "slave0:ip=10.0.0.1,port=7001,state=online,offset=1,lag=0", "db0:keys=1", "role:slave", "redis_version:",
    ]

    static func apply(to text: String, edits: Int, using rng: inout some RandomNumberGenerator) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<edits {
            let at = Int.random(in: 0...scalars.count, using: &rng)
            let to = Int.random(in: at...min(scalars.count, at + 24), using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0, 1: scalars.insert(contentsOf: pieces.randomElement(using: &rng)!.unicodeScalars, at: at)
            case 2: scalars.removeSubrange(at..<to)
            case 3: scalars.insert(contentsOf: scalars[at..<to], at: to)
            default: scalars.removeSubrange(at...)
            }
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }
}
