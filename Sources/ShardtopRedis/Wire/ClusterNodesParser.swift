import ShardtopCore

/// CLUSTER NODES is the topology everything else hangs on, so it is parsed strictly:
/// a line we cannot read throws instead of silently dropping a node or a slot.
/// Forward-compatible details (unknown flags, extra address fields) are still ignored.
public enum ClusterNodesParser {
    static let replyName = "CLUSTER NODES"

    public static func parse(_ text: String) throws -> [TopologyEntry] {
        var entries: [TopologyEntry] = []
        let lines = text[...].wireLines(omittingEmpty: false)
        for (offset, rawLine) in lines.enumerated() {
            let line = rawLine.wireTrimmed()
            if line.isEmpty { continue }
            do {
                entries.append(try entry(line))
            } catch let problem as LineProblem {
                throw WireParseError(reply: replyName, lineNumber: offset + 1, line: String(rawLine), reason: problem.reason)
            }
        }
        // Every node lists at least itself; an empty reply means something upstream went wrong.
        guard !entries.isEmpty else {
            throw WireParseError(reply: replyName, lineNumber: nil, line: text, reason: "empty reply")
        }
        return entries
    }

    /// Why one line was rejected; `parse` adds the line number and text.
    private struct LineProblem: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func entry(_ line: Substring) throws -> TopologyEntry {
        let fields = line.wireSplit { $0 == .wireSpace || $0 == .wireTab }
        guard fields.count >= 8 else { throw LineProblem("expected at least 8 fields, found \(fields.count)") }

        let id = try nodeID(fields[0])
        let endpoint = try Endpoint(fields[1])
        let primaryID = fields[3] == "-" ? nil : try nodeID(fields[3])
        var slots: [SlotRange] = []
        var openSlots: [OpenSlotMark] = []
        for token in fields[8...] {
            if token.wireHasPrefix(UInt8(ascii: "[")) {
                openSlots.append(try openSlot(token))
            } else {
                slots.append(try slotRange(token))
            }
        }
        return TopologyEntry(
            id: String(id),
            address: endpoint.address,
            busPort: endpoint.busPort,
            hostname: endpoint.hostname,
            flags: flags(fields[2]),
            primaryID: primaryID.map(String.init),
            pingSentMillis: try counter(fields[4], "ping-sent"),
            pongReceivedMillis: try counter(fields[5], "pong-recv"),
            configEpoch: try counter(fields[6], "config-epoch"),
            linkConnected: try linkState(fields[7]),
            slots: slots,
            openSlots: openSlots
        )
    }

    /// `<ip>:<port>@<cport>[,<hostname>[,<aux>=<value>...]]`; the `@cport` part is absent before Redis 4.
    private struct Endpoint {
        var address: NodeAddress?
        var busPort: Int?
        var hostname: String?

        init(_ field: Substring) throws {
            let parts = field.wireSplit(separator: UInt8(ascii: ","), omittingEmpty: false)
            // Later comma parts are key=value extras (shard-id and the like) that newer servers may add.
            if parts.count > 1, !parts[1].isEmpty, parts[1].wireFirstIndex(of: UInt8(ascii: "=")) == nil {
                hostname = String(parts[1])
            }
            let hostAndPorts = parts[0].wireSplit(separator: UInt8(ascii: "@"), maxSplits: 1, omittingEmpty: false)
            // IPv6 hosts are printed unbracketed ("::1:7000"), so the port follows the last colon.
            guard let colon = hostAndPorts[0].wireLastIndex(of: UInt8(ascii: ":")) else {
                throw LineProblem("address \"\(field)\" has no port")
            }
            var host = hostAndPorts[0][..<colon]
            if host.wireHasPrefix(UInt8(ascii: "[")), host.wireHasSuffix(UInt8(ascii: "]")), host.utf8.count >= 2 {
                host = host[host.utf8.index(after: host.startIndex)..<host.utf8.index(before: host.endIndex)]
            }
            let port = try ClusterNodesParser.port(hostAndPorts[0].wireSuffix(after: colon))
            let bus = hostAndPorts.count > 1 ? try ClusterNodesParser.port(hostAndPorts[1]) : 0
            // The server prints ":0@0" until it learns where a node lives (handshake, noaddr).
            address = host.isEmpty || port == 0 ? nil : NodeAddress(host: String(host), port: port)
            busPort = bus == 0 ? nil : bus
        }
    }

    private static func port(_ text: Substring) throws -> Int {
        guard let port = Int(text), (0...65535).contains(port) else { throw LineProblem("bad port \"\(text)\"") }
        return port
    }

    private static func flags(_ field: Substring) -> NodeFlags {
        var flags: NodeFlags = []
        for name in field.wireSplit(separator: UInt8(ascii: ",")) {
            switch name {
            case "myself": flags.insert(.myself)
            case "master", "primary": flags.insert(.primary)
            case "slave", "replica": flags.insert(.replica)
            case "fail?": flags.insert(.pfail)
            case "fail": flags.insert(.fail)
            case "handshake": flags.insert(.handshake)
            case "noaddr": flags.insert(.noaddr)
            case "nofailover": flags.insert(.nofailover)
            // "noflags" means none; flags added by later servers must not break an older shardtop.
            default: break
            }
        }
        return flags
    }

    /// Node ids are always 40 hex characters; anything else means the line is not what we think it is.
    private static func nodeID(_ text: Substring) throws -> Substring {
        let isHex: (UInt8) -> Bool = { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
        guard text.utf8.count == 40, text.utf8.allSatisfy(isHex) else { throw LineProblem("bad node id \"\(text)\"") }
        return text
    }

    private static func counter(_ text: Substring, _ name: String) throws -> Int64 {
        guard let value = Int64(text), value >= 0 else { throw LineProblem("bad \(name) \"\(text)\"") }
        return value
    }

    private static func linkState(_ text: Substring) throws -> Bool {
        switch text {
        case "connected": return true
        case "disconnected": return false
        default: throw LineProblem("bad link state \"\(text)\"")
        }
    }

    private static func slot(_ text: Substring, in token: Substring) throws -> Int {
        guard let slot = Int(text) else { throw LineProblem("bad slot \"\(token)\"") }
        guard (0..<hashSlotCount).contains(slot) else {
            throw LineProblem("slot \(slot) out of range 0-\(hashSlotCount - 1)")
        }
        return slot
    }

    /// `N` or `A-B`.
    private static func slotRange(_ token: Substring) throws -> SlotRange {
        let bounds = token.wireSplit(separator: UInt8(ascii: "-"), maxSplits: 1, omittingEmpty: false)
        let start = try slot(bounds[0], in: token)
        let end = bounds.count > 1 ? try slot(bounds[1], in: token) : start
        guard start <= end else { throw LineProblem("slot range \"\(token)\" runs backwards") }
        return SlotRange(start, end)
    }

    /// `[<slot>->-<target-id>]` (migrating out) or `[<slot>-<-<source-id>]` (importing).
    private static func openSlot(_ token: Substring) throws -> OpenSlotMark {
        guard token.utf8.count >= 2, token.wireHasSuffix(UInt8(ascii: "]")) else {
            throw LineProblem("unterminated open slot \"\(token)\"")
        }
        // The caller saw the "[" byte; both brackets are single ASCII bytes.
        let inner = token[token.utf8.index(after: token.startIndex)..<token.utf8.index(before: token.endIndex)]
        let direction: OpenSlotMark.Direction
        let arrow: Range<Substring.Index>
        if let found = inner.firstRange(of: "->-") {
            (direction, arrow) = (.migrating, found)
        } else if let found = inner.firstRange(of: "-<-") {
            (direction, arrow) = (.importing, found)
        } else {
            throw LineProblem("bad open slot \"\(token)\"")
        }
        let slot = try slot(inner[..<arrow.lowerBound], in: token)
        let peer = try nodeID(inner[arrow.upperBound...])
        return OpenSlotMark(slot: slot, direction: direction, peerID: String(peer))
    }
}
