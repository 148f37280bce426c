/// The `key:value` lines shared by INFO and CLUSTER INFO, read straight from the reply's bytes.
///
/// INFO with its eight sections is about 200 lines per node per tick, and only about 45 of its
/// fields are read. Reading the lines as `Substring`s cost most of a warm tick (every slice retains
/// the reply and walks string indices), so the lines are kept as byte offsets into the reply and
/// indexed by an FNV-1a hash of the key in a small open-addressing table; a value becomes a
/// `String` or a number only when asked for. A lookup compares the key bytes too, so two keys with
/// the same hash cannot be mistaken for each other.
///
/// Lines end at LF or CR (servers send CRLF); spaces and tabs around a line are ignored; a line
/// starting with `#` (a section header) or without a colon carries no field. The key ends at the
/// first colon, so values such as `executable:/path` or `os:Linux ...` keep theirs.
struct InfoFields {
    private let bytes: [UInt8]
    /// Every field line in reply order.
    private var lines: [Line] = []
    /// Index into `lines` of the first line with each key, by hash; -1 is empty. A power of two long.
    private var table: [Int32]

    private struct Line {
        var hash: UInt64
        var keyStart: Int
        var keyEnd: Int
        var valueEnd: Int
        var valueStart: Int { keyEnd + 1 }
    }

    init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var lines: [Line] = []
        lines.reserveCapacity(bytes.count / 24)
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = 0
            while cursor < buffer.count {
                var end = cursor
                while end < buffer.count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
                if let line = Self.line(buffer, from: cursor, to: end) { lines.append(line) }
                cursor = end + 1
            }
        }
        var capacity = 16
        while capacity < lines.count * 2 { capacity <<= 1 }
        var table = [Int32](repeating: -1, count: capacity)
        bytes.withUnsafeBufferPointer { buffer in
            for (index, line) in lines.enumerated() {
                var slot = Int(truncatingIfNeeded: line.hash) & (capacity - 1)
                while table[slot] >= 0 {
                    let other = lines[Int(table[slot])]
                    // The first line with a key wins; a later duplicate is kept only in `lines`.
                    if other.hash == line.hash, Self.equal(buffer, line, buffer, other) { break }
                    slot = (slot + 1) & (capacity - 1)
                }
                if table[slot] < 0 { table[slot] = Int32(index) }
            }
        }
        self.lines = lines
        self.table = table
    }

    /// The field on bytes `start..<end`, trimmed of spaces and tabs, or nil for a header or a line without a colon.
    private static func line(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Line? {
        var start = start
        var end = end
        while start < end, buffer[start] == .wireSpace || buffer[start] == .wireTab { start += 1 }
        while end > start, buffer[end - 1] == .wireSpace || buffer[end - 1] == .wireTab { end -= 1 }
        guard start < end, buffer[start] != UInt8(ascii: "#") else { return nil }
        var hash = fnvOffset
        var colon = start
        while colon < end, buffer[colon] != UInt8(ascii: ":") {
            hash = (hash ^ UInt64(buffer[colon])) &* fnvPrime
            colon += 1
        }
        guard colon < end else { return nil }
        return Line(hash: hash, keyStart: start, keyEnd: colon, valueEnd: end)
    }

    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ lineA: Line, _ b: UnsafeBufferPointer<UInt8>, _ lineB: Line) -> Bool {
        let length = lineA.keyEnd - lineA.keyStart
        guard length == lineB.keyEnd - lineB.keyStart else { return false }
        for offset in 0..<length where a[lineA.keyStart + offset] != b[lineB.keyStart + offset] { return false }
        return true
    }

    /// The line of the first value given for `key`.
    private func find(_ key: String) -> Line? {
        var key = key
        return key.withUTF8 { keyBytes -> Line? in
            var hash = Self.fnvOffset
            for byte in keyBytes { hash = (hash ^ UInt64(byte)) &* Self.fnvPrime }
            let probe = Line(hash: hash, keyStart: 0, keyEnd: keyBytes.count, valueEnd: keyBytes.count)
            return bytes.withUnsafeBufferPointer { buffer -> Line? in
                var slot = Int(truncatingIfNeeded: hash) & (table.count - 1)
                while table[slot] >= 0 {
                    let line = lines[Int(table[slot])]
                    if line.hash == hash, Self.equal(buffer, line, keyBytes, probe) { return line }
                    slot = (slot + 1) & (table.count - 1)
                }
                return nil
            }
        }
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The first value given for `key`, possibly empty.
    subscript(key: String) -> String? {
        find(key).map { text($0.valueStart, $0.valueEnd) }
    }

    /// nil for a missing or empty value.
    func string(_ key: String) -> String? {
        guard let line = find(key), line.valueEnd > line.valueStart else { return nil }
        return text(line.valueStart, line.valueEnd)
    }

    func int(_ key: String) -> Int? { int64(key).flatMap { Int(exactly: $0) } }

    /// Decimal digits with an optional sign, as `Int64(String)` reads them; nil on anything else or overflow.
    func int64(_ key: String) -> Int64? {
        guard let line = find(key) else { return nil }
        return Self.decimal(bytes[line.valueStart..<line.valueEnd])
    }

    /// Rejects nan/inf, which Swift's Double parser would otherwise accept from a broken server.
    func double(_ key: String) -> Double? {
        guard let value = self[key].flatMap({ Double($0) }), value.isFinite else { return nil }
        return value
    }

    /// Values of keys made of `prefix` and digits only ("slave0", "db12"), in reply order;
    /// "slave_repl_offset" does not match "slave".
    func numbered(_ prefix: String) -> [InfoSubfields] {
        let prefixBytes = Array(prefix.utf8)
        var result: [InfoSubfields] = []
        for line in lines {
            let digitsStart = line.keyStart + prefixBytes.count
            guard digitsStart < line.keyEnd, bytes[line.keyStart..<digitsStart].elementsEqual(prefixBytes),
                  bytes[digitsStart..<line.keyEnd].allSatisfy({ (0x30...0x39).contains($0) }) else { continue }
            result.append(InfoSubfields(bytes[line.valueStart..<line.valueEnd]))
        }
        return result
    }

    /// Every field in reply order (duplicates included), for tests and diagnostics.
    var entries: [(key: String, value: String)] {
        lines.map { (text($0.keyStart, $0.keyEnd), text($0.valueStart, $0.valueEnd)) }
    }

    static func decimal(_ digits: ArraySlice<UInt8>) -> Int64? {
        digits.withUnsafeBufferPointer { WireBytes.decimal(0..<$0.count, in: $0) }
    }
}

/// The `a=1,b=2` pairs of one INFO value (`slave0:ip=..,port=..`, `db0:keys=..`), read on demand.
struct InfoSubfields {
    private let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// The first value given for `name`, as bytes.
    private func raw(_ name: String) -> ArraySlice<UInt8>? {
        let nameBytes = name.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.endIndex
            if let equals = bytes[start..<end].firstIndex(of: UInt8(ascii: "=")),
               bytes[start..<equals].elementsEqual(nameBytes) {
                return bytes[(equals + 1)..<end]
            }
            start = end + 1
        }
        return nil
    }

    func string(_ name: String) -> String? { raw(name).map { String(decoding: $0, as: UTF8.self) } }
    func int64(_ name: String) -> Int64? { raw(name).flatMap(InfoFields.decimal) }
    func int(_ name: String) -> Int? { int64(name).flatMap { Int(exactly: $0) } }
}
