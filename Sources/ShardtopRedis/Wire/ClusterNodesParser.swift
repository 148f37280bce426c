import ShardtopCore

/// CLUSTER NODES is the topology everything else hangs on, so it is parsed strictly:
/// a line we cannot read throws instead of silently dropping a node or a slot.
/// Forward-compatible details (unknown flags, extra address fields) are still ignored.
///
/// The reply is read as bytes (every separator in it is ASCII): fields are byte ranges and only
/// the values kept become Strings. Reading it as `Substring`s cost about a microsecond a line,
/// and a poll of N nodes reads N^2 lines.
public enum ClusterNodesParser {
    static let replyName = "CLUSTER NODES"

    public static func parse(_ text: String) throws -> [TopologyEntry] {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0) }
    }

    /// The reply's bytes as they came off the wire.
    public static func parse(bytes: [UInt8]) throws -> [TopologyEntry] {
        try bytes.withUnsafeBufferPointer { try parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) throws -> [TopologyEntry] {
        var entries: [TopologyEntry] = []
        // One array for every line's fields, emptied between lines: not an allocation per line.
        var fields: [Field] = []
        var lineNumber = 0
        var start = 0
        var cursor = 0
        while start <= bytes.count {
            // Lines end as `Character.isNewline` ends them: LF, CR, CRLF (one break), VT, FF, NEL, LS, PS.
            var width = 0
            while cursor < bytes.count {
                width = WireBytes.newlineWidth(bytes, at: cursor)
                if width > 0 { break }
                cursor += 1
            }
            lineNumber += 1
            let line = WireBytes.trimmed(start..<cursor, in: bytes)
            if !line.isEmpty {
                do {
                    entries.append(try entry(Line(bytes: bytes, range: line), fields: &fields))
                } catch let problem as LineProblem {
                    throw WireParseError(reply: replyName, lineNumber: lineNumber,
                                         line: WireBytes.text(start..<cursor, in: bytes), reason: problem.reason)
                }
            }
            if cursor >= bytes.count { break }
            cursor += width
            start = cursor
        }
        // Every node lists at least itself; an empty reply means something upstream went wrong.
        guard !entries.isEmpty else {
            throw WireParseError(reply: replyName, lineNumber: nil, line: WireBytes.text(0..<bytes.count, in: bytes), reason: "empty reply")
        }
        return entries
    }

    /// Why one line was rejected; `parse` adds the line number and text.
    private struct LineProblem: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// One line's bytes, and ways to read its fields.
    private struct Line {
        let bytes: UnsafeBufferPointer<UInt8>
        let range: Range<Int>

        func text(_ range: Range<Int>) -> String { WireBytes.text(range, in: bytes) }

        func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
            guard range.count == literal.utf8CodeUnitCount else { return false }
            let pointer = literal.utf8Start
            for offset in 0..<range.count where bytes[range.lowerBound + offset] != pointer[offset] { return false }
            return true
        }

        func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
            range.first { bytes[$0] == byte }
        }

        func lastIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
            range.reversed().first { bytes[$0] == byte }
        }

        /// Byte ranges separated by `isSeparator`, empty ones left out, in `parts` (emptied first).
        func split(_ range: Range<Int>, into parts: inout [Field], where isSeparator: (UInt8) -> Bool) {
            parts.removeAll(keepingCapacity: true)
            forEachPart(of: range, where: isSeparator) { parts.append(Field(start: $0.lowerBound, end: $0.upperBound)) }
        }

        /// Calls `body` with each byte range separated by `isSeparator`, empty ones left out.
        func forEachPart(of range: Range<Int>, where isSeparator: (UInt8) -> Bool, _ body: (Range<Int>) -> Void) {
            var start = range.lowerBound
            for index in range where isSeparator(bytes[index]) {
                if start < index { body(start..<index) }
                start = index + 1
            }
            if start < range.upperBound { body(start..<range.upperBound) }
        }
    }

    /// A field's byte range. An array of these rather than of `Range<Int>`: the first `[Range<Int>]`
    /// of a process has the runtime check `Int: Comparable`, a scan of the binary's conformance
    /// records on a cold snapshot's path (issue 12, ninth round).
    private struct Field {
        var start: Int
        var end: Int
        var range: Range<Int> { start..<end }
    }

    private static func entry(_ line: Line, fields: inout [Field]) throws -> TopologyEntry {
        line.split(line.range, into: &fields) { $0 == .wireSpace || $0 == .wireTab }
        guard fields.count >= 8 else { throw LineProblem("expected at least 8 fields, found \(fields.count)") }

        let id = try nodeID(fields[0].range, line)
        let endpoint = try Endpoint(fields[1].range, line)
        let primaryID = line.equals(fields[3].range, "-") ? nil : try nodeID(fields[3].range, line)
        var slots: [SlotRange] = []
        var openSlots: [OpenSlotMark] = []
        for field in fields[8...] {
            let token = field.range
            if line.bytes[token.lowerBound] == UInt8(ascii: "[") {
                openSlots.append(try openSlot(token, line))
            } else {
                slots.append(try slotRange(token, line))
            }
        }
        return TopologyEntry(
            id: id,
            address: endpoint.address,
            busPort: endpoint.busPort,
            hostname: endpoint.hostname,
            flags: flags(fields[2].range, line),
            primaryID: primaryID,
            pingSentMillis: try counter(fields[4].range, "ping-sent", line),
            pongReceivedMillis: try counter(fields[5].range, "pong-recv", line),
            configEpoch: try counter(fields[6].range, "config-epoch", line),
            linkConnected: try linkState(fields[7].range, line),
            slots: slots,
            openSlots: openSlots
        )
    }

    /// `<ip>:<port>@<cport>[,<hostname>[,<aux>=<value>...]]`; the `@cport` part is absent before Redis 4.
    private struct Endpoint {
        var address: NodeAddress?
        var busPort: Int?
        var hostname: String?

        init(_ field: Range<Int>, _ line: Line) throws {
            let comma = line.firstIndex(of: UInt8(ascii: ","), in: field) ?? field.upperBound
            // Later comma parts are key=value extras (shard-id and the like) that newer servers may add.
            if comma < field.upperBound {
                let rest = (comma + 1)..<field.upperBound
                let second = rest.lowerBound..<(line.firstIndex(of: UInt8(ascii: ","), in: rest) ?? rest.upperBound)
                if !second.isEmpty, line.firstIndex(of: UInt8(ascii: "="), in: second) == nil {
                    hostname = line.text(second)
                }
            }
            let main = field.lowerBound..<comma
            let at = line.firstIndex(of: UInt8(ascii: "@"), in: main)
            let hostAndPort = main.lowerBound..<(at ?? main.upperBound)
            // IPv6 hosts are printed unbracketed ("::1:7000"), so the port follows the last colon.
            guard let colon = line.lastIndex(of: UInt8(ascii: ":"), in: hostAndPort) else {
                throw LineProblem("address \"\(line.text(field))\" has no port")
            }
            var host = hostAndPort.lowerBound..<colon
            if host.count >= 2, line.bytes[host.lowerBound] == UInt8(ascii: "["), line.bytes[host.upperBound - 1] == UInt8(ascii: "]") {
                host = (host.lowerBound + 1)..<(host.upperBound - 1)
            }
            let port = try ClusterNodesParser.port((colon + 1)..<hostAndPort.upperBound, line)
            let bus = try at.map { try ClusterNodesParser.port(($0 + 1)..<main.upperBound, line) } ?? 0
            // The server prints ":0@0" until it learns where a node lives (handshake, noaddr).
            address = host.isEmpty || port == 0 ? nil : NodeAddress(host: line.text(host), port: port)
            busPort = bus == 0 ? nil : bus
        }
    }

    private static func port(_ range: Range<Int>, _ line: Line) throws -> Int {
        guard let port = WireBytes.decimal(range, in: line.bytes), (0...65535).contains(port) else {
            throw LineProblem("bad port \"\(line.text(range))\"")
        }
        return Int(port)
    }

    private static func flags(_ field: Range<Int>, _ line: Line) -> NodeFlags {
        var flags: NodeFlags = []
        line.forEachPart(of: field, where: { $0 == UInt8(ascii: ",") }) { name in
            if line.equals(name, "myself") { flags.insert(.myself) }
            else if line.equals(name, "master") || line.equals(name, "primary") { flags.insert(.primary) }
            else if line.equals(name, "slave") || line.equals(name, "replica") { flags.insert(.replica) }
            else if line.equals(name, "fail?") { flags.insert(.pfail) }
            else if line.equals(name, "fail") { flags.insert(.fail) }
            else if line.equals(name, "handshake") { flags.insert(.handshake) }
            else if line.equals(name, "noaddr") { flags.insert(.noaddr) }
            else if line.equals(name, "nofailover") { flags.insert(.nofailover) }
            // "noflags" means none; flags added by later servers must not break an older shardtop.
        }
        return flags
    }

    /// Node ids are always 40 hex characters; anything else means the line is not what we think it is.
    private static func nodeID(_ range: Range<Int>, _ line: Line) throws -> String {
        let isHex: (UInt8) -> Bool = { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
        guard range.count == 40, range.allSatisfy({ isHex(line.bytes[$0]) }) else {
            throw LineProblem("bad node id \"\(line.text(range))\"")
        }
        return line.text(range)
    }

    private static func counter(_ range: Range<Int>, _ name: String, _ line: Line) throws -> Int64 {
        guard let value = WireBytes.decimal(range, in: line.bytes), value >= 0 else {
            throw LineProblem("bad \(name) \"\(line.text(range))\"")
        }
        return value
    }

    private static func linkState(_ range: Range<Int>, _ line: Line) throws -> Bool {
        if line.equals(range, "connected") { return true }
        if line.equals(range, "disconnected") { return false }
        throw LineProblem("bad link state \"\(line.text(range))\"")
    }

    private static func slot(_ range: Range<Int>, in token: Range<Int>, _ line: Line) throws -> Int {
        guard let value = WireBytes.decimal(range, in: line.bytes), let slot = Int(exactly: value) else {
            throw LineProblem("bad slot \"\(line.text(token))\"")
        }
        guard (0..<hashSlotCount).contains(slot) else {
            throw LineProblem("slot \(slot) out of range 0-\(hashSlotCount - 1)")
        }
        return slot
    }

    /// `N` or `A-B`.
    private static func slotRange(_ token: Range<Int>, _ line: Line) throws -> SlotRange {
        let dash = line.firstIndex(of: UInt8(ascii: "-"), in: token)
        let start = try slot(token.lowerBound..<(dash ?? token.upperBound), in: token, line)
        let end = try dash.map { try slot(($0 + 1)..<token.upperBound, in: token, line) } ?? start
        guard start <= end else { throw LineProblem("slot range \"\(line.text(token))\" runs backwards") }
        return SlotRange(start, end)
    }

    /// `[<slot>->-<target-id>]` (migrating out) or `[<slot>-<-<source-id>]` (importing).
    private static func openSlot(_ token: Range<Int>, _ line: Line) throws -> OpenSlotMark {
        guard token.count >= 2, line.bytes[token.upperBound - 1] == UInt8(ascii: "]") else {
            throw LineProblem("unterminated open slot \"\(line.text(token))\"")
        }
        // The caller saw the "[" byte; both brackets are single ASCII bytes.
        let inner = (token.lowerBound + 1)..<(token.upperBound - 1)
        var found: (direction: OpenSlotMark.Direction, arrow: Int)?
        for index in inner where index + 3 <= inner.upperBound {
            let arrow = index..<(index + 3)
            if line.equals(arrow, "->-") { found = (.migrating, index); break }
            if line.equals(arrow, "-<-") { found = (.importing, index); break }
        }
        guard let found else { throw LineProblem("bad open slot \"\(line.text(token))\"") }
        let slot = try slot(inner.lowerBound..<found.arrow, in: token, line)
        let peer = try nodeID((found.arrow + 3)..<inner.upperBound, line)
        return OpenSlotMark(slot: slot, direction: found.direction, peerID: peer)
    }
}
