import PropertyBased
import ShardtopCore

/// CLUSTER NODES replies generated from the entries they describe, so a parse can be checked
/// against what was rendered. Hosts and hostnames carry control and escape bytes: the parser must
/// keep them as data (it is the display that escapes them), and only line breaks, spaces, tabs,
/// `,` and `@` are structure.
enum ClusterNodesTextGen {
    struct Reply: Sendable, CustomStringConvertible {
        var entries: [TopologyEntry]
        var text: String
        var description: String { FuzzText.shown(Array(text.utf8), limit: 400) }
    }

    static func reply(lines: ClosedRange<Int> = 1...6) -> Generator<Reply, Shrink.None<Reply>> {
        Generator { rng in
            let entries = (0..<Int.random(in: lines, using: &rng)).map { _ in entry(using: &rng) }
            return Reply(entries: entries, text: render(entries, using: &rng))
        }
    }

    /// A generated reply with one to four edits that may break it anywhere.
    static var mutated: Generator<String, Shrink.None<String>> {
        Generator { rng in
            let entries = (0..<Int.random(in: 1...4, using: &rng)).map { _ in entry(using: &rng) }
            return TextMutation.apply(to: render(entries, using: &rng), edits: Int.random(in: 1...4, using: &rng), using: &rng)
        }
    }

    static func entry<R: RandomNumberGenerator>(using rng: inout R) -> TopologyEntry {
        var flags = NodeFlags()
        for flag in [NodeFlags.myself, .primary, .replica, .pfail, .fail, .handshake, .noaddr, .nofailover] where Int.random(in: 0..<3, using: &rng) == 0 {
            flags.insert(flag)
        }
        let known = Int.random(in: 0..<6, using: &rng) != 0
        return TopologyEntry(
            id: nodeID(using: &rng),
            address: known ? NodeAddress(host: host(using: &rng), port: Int.random(in: 1...65535, using: &rng)) : nil,
            busPort: known && Bool.random(using: &rng) ? Int.random(in: 1...65535, using: &rng) : nil,
            hostname: Bool.random(using: &rng) ? name(using: &rng) : nil,
            flags: flags,
            primaryID: Bool.random(using: &rng) ? nodeID(using: &rng) : nil,
            pingSentMillis: Int64.random(in: 0...Int64.max, using: &rng),
            pongReceivedMillis: Int64.random(in: 0...2_000_000_000_000, using: &rng),
            configEpoch: Int64.random(in: 0...99, using: &rng),
            linkConnected: Bool.random(using: &rng),
            slots: (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                let start = Int.random(in: 0..<hashSlotCount, using: &rng)
                return SlotRange(start, Int.random(in: start..<hashSlotCount, using: &rng))
            },
            openSlots: (0..<Int.random(in: 0...2, using: &rng)).map { _ in
                OpenSlotMark(slot: Int.random(in: 0..<hashSlotCount, using: &rng), direction: Bool.random(using: &rng) ? .migrating : .importing, peerID: nodeID(using: &rng))
            }
        )
    }

    /// The wire line for an entry, as a server prints it (flag names in either naming).
    static func line(_ entry: TopologyEntry, using rng: inout some RandomNumberGenerator) -> String {
        let names: [(NodeFlags, [String])] = [
            (.myself, ["myself"]), (.primary, ["master", "primary"]), (.replica, ["slave", "replica"]), (.pfail, ["fail?"]),
            (.fail, ["fail"]), (.handshake, ["handshake"]), (.noaddr, ["noaddr"]), (.nofailover, ["nofailover"]),
        ]
        let flags = names.filter { entry.flags.contains($0.0) }.map { $0.1.randomElement(using: &rng)! }
        var address = entry.address.map { "\($0.host):\($0.port)" } ?? ":0"
        address += "@\(entry.busPort ?? 0)"
        if let hostname = entry.hostname { address += ",\(hostname)" }
        if Bool.random(using: &rng) { address += ",shard-id=\(nodeID(using: &rng))" }
        let open = entry.openSlots.map { "[\($0.slot)\($0.direction == .migrating ? "->-" : "-<-")\($0.peerID)]" }
        let fields = [
            entry.id, address, flags.isEmpty ? "noflags" : flags.joined(separator: ","), entry.primaryID ?? "-",
            "\(entry.pingSentMillis)", "\(entry.pongReceivedMillis)", "\(entry.configEpoch)", entry.linkConnected ? "connected" : "disconnected",
        ] + entry.slots.map(\.description) + open
        return fields.joined(separator: [" ", " ", "\t", "  "].randomElement(using: &rng)!)
    }

    /// Lines joined by any break the parser accepts, with blank lines and edge whitespace it must ignore.
    static func render(_ entries: [TopologyEntry], using rng: inout some RandomNumberGenerator) -> String {
        let breaks = ["\n", "\r\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\n\n", "\r\n \r\n"]
        var text = ""
        for entry in entries {
            text += (Bool.random(using: &rng) ? "" : " ") + line(entry, using: &rng) + breaks.randomElement(using: &rng)!
        }
        return text
    }

    static func nodeID(using rng: inout some RandomNumberGenerator) -> String {
        let hex = Array("0123456789abcdefABCDEF")
        return String((0..<40).map { _ in hex.randomElement(using: &rng)! })
    }

    /// A host: IPv4, IPv6 (unbracketed, as servers print it), a name, or hostile bytes.
    static func host(using rng: inout some RandomNumberGenerator) -> String {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return "10.0.\(Int.random(in: 0...255, using: &rng)).\(Int.random(in: 0...255, using: &rng))"
        case 1: return ["::1", "fe80::1:2", "2001:db8::7"].randomElement(using: &rng)!
        case 2: return "node-\(Int.random(in: 0...99, using: &rng)).example"
        default: return hostile(using: &rng, allowing: ":=")
        }
    }

    static func name(using rng: inout some RandomNumberGenerator) -> String {
        Bool.random(using: &rng) ? "redis-\(Int.random(in: 0...9, using: &rng)).svc" : hostile(using: &rng, allowing: ":@")
    }

    /// One to twelve scalars that are not structure in a CLUSTER NODES field: escapes, C0/C1
    /// controls, DEL, combining marks and wide characters, plus the separators in `allowing`.
    static func hostile(using rng: inout some RandomNumberGenerator, allowing: String) -> String {
        let pool = Array("ab7.-_é\u{1B}\u{07}\u{00}\u{08}\u{7F}\u{9B}\u{90}\u{301}\u{1F600}\u{202E}[]%\\\"") + Array(allowing)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 1...12, using: &rng) {
            scalars.append(contentsOf: pool.randomElement(using: &rng)!.unicodeScalars)
        }
        var text = String(scalars)
        // A leading "[" with a trailing "]" is stripped as IPv6 brackets; keep generated hosts literal.
        // Compared by scalar: "[" followed by a combining mark is one Character, not "[".
        if text.unicodeScalars.first == "[" { text = "x" + text }
        return text
    }
}
