import Foundation

/// The `key:value` lines shared by INFO and CLUSTER INFO, read straight from the reply's bytes.
///
/// INFO with its eight sections is about 200 lines per node per tick, and only about 40 of its
/// fields are read. Reading the lines as `Substring`s cost most of a warm tick (every slice retains
/// the reply and walks string indices), so the lines are kept as byte offsets into the reply and
/// indexed by a hash of the key in a small open-addressing table; a value becomes a `String` or a
/// number only when asked for. A lookup compares the key bytes too, so two keys with the same hash
/// cannot be mistaken for each other.
///
/// Line ends are found eight bytes at a time and keys hashed eight bytes at a time (issue 12: a
/// byte-by-byte scan and FNV-1a, a multiply per key byte, were 10 us of a 4 KB INFO, most of the
/// poll's own work on the event loop). The hash is seeded per process, so a hostile node cannot
/// choose keys that all land in one chain.
///
/// Lines end at LF or CR (servers send CRLF); spaces and tabs around a line are ignored; a line
/// starting with `#` (a section header) or without a colon carries no field. The key ends at the
/// first colon, so values such as `executable:/path` or `os:Linux ...` keep theirs.
struct InfoFields {
    private let bytes: [UInt8]
    /// `Self.seed`, read once: a static's every access is a swift_once check, and hashing is per line.
    private let seed = Self.seed
    /// The keys this was indexed for (nil: every line), checked in debug builds on each lookup.
    private let keeping: InfoKeys?
    /// Every field line in reply order (of the kept keys, with `keeping`).
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

    /// `keeping`: index only the lines with these keys (see `InfoKeys`); nil indexes every line.
    init(bytes: [UInt8], keeping: InfoKeys? = nil) {
        self.bytes = bytes
        self.keeping = keeping
        var lines: [Line] = []
        lines.reserveCapacity(keeping == nil ? bytes.count / 24 + 1 : 64)
        let seed = self.seed
        bytes.withUnsafeBytes { raw in
            var cursor = 0
            while cursor < raw.count {
                let end = Self.lineEnd(raw, from: cursor)
                if let line = Self.line(raw, from: cursor, to: end, seed: seed),
                   keeping?.keeps(hash: line.hash, raw, from: line.keyStart, to: line.keyEnd) ?? true {
                    lines.append(line)
                }
                cursor = end + 1
            }
        }
        var capacity = 16
        while capacity < lines.count * 2 { capacity <<= 1 }
        var table = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        bytes.withUnsafeBytes { raw in
            lines.withUnsafeBufferPointer { lines in
                table.withUnsafeMutableBufferPointer { table in
                    for (index, line) in lines.enumerated() {
                        var slot = Int(truncatingIfNeeded: line.hash) & mask
                        while table[slot] >= 0 {
                            let other = lines[Int(table[slot])]
                            // The first line with a key wins; a later duplicate is kept only in `lines`.
                            if other.hash == line.hash, Self.equal(raw, line, raw, other) { break }
                            slot = (slot + 1) & mask
                        }
                        if table[slot] < 0 { table[slot] = Int32(index) }
                    }
                }
            }
        }
        self.lines = lines
        self.table = table
    }

    /// The first LF or CR at or after `start`, or the end of `raw`.
    private static func lineEnd(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index + 8 <= raw.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let found = zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < raw.count, raw[index] != 0x0A, raw[index] != 0x0D { index += 1 }
        return index
    }

    /// The first colon on `start..<end`, or `end`; a word at a time, as `lineEnd` (a byte loop
    /// here, with its mispredicted exit, was a quarter of the parse).
    @inline(__always)
    private static func firstColon(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let found = zeroBytes(word ^ 0x3A3A_3A3A_3A3A_3A3A)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end, raw[index] != UInt8(ascii: ":") { index += 1 }
        return index
    }

    /// The top bit of each byte of `word` that is zero. Bytes above the lowest zero byte may be
    /// marked falsely (a borrow), so only the lowest mark is to be trusted, which is all `lineEnd` reads.
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// The field on bytes `start..<end`, trimmed of spaces and tabs, or nil for a header or a line without a colon.
    @inline(__always)
    private static func line(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int, seed: UInt64) -> Line? {
        var start = start
        var end = end
        while start < end, raw[start] == .wireSpace || raw[start] == .wireTab { start += 1 }
        while end > start, raw[end - 1] == .wireSpace || raw[end - 1] == .wireTab { end -= 1 }
        guard start < end, raw[start] != UInt8(ascii: "#") else { return nil }
        let colon = firstColon(raw, from: start, to: end)
        guard colon < end else { return nil }
        return Line(hash: hash(raw, from: start, to: colon, seed: seed), keyStart: start, keyEnd: colon, valueEnd: end)
    }

    /// Drawn once per process: the table's chains cannot be predicted from outside.
    static let seed = UInt64.random(in: .min ... .max)

    /// The key on `start..<end`, eight bytes at a time (the last word may overlap the one before).
    @inline(__always)
    static func hash(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int, seed: UInt64) -> UInt64 {
        let length = end - start
        var hash = seed ^ (UInt64(length) &* 0x9E37_79B9_7F4A_7C15)
        if length < 8 {
            var word: UInt64 = 0
            for offset in 0..<length { word |= UInt64(raw[start + offset]) << (8 * UInt64(offset)) }
            hash = mixed(hash ^ word)
        } else {
            var offset = start
            while offset + 8 < end {
                hash = mixed(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            hash = mixed(hash ^ raw.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self))
        }
        return hash ^ (hash >> 32)
    }

    private static func mixed(_ value: UInt64) -> UInt64 {
        let product = value &* 0xBF58_476D_1CE4_E5B9
        return product ^ (product >> 31)
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ lineA: Line, _ b: UnsafeRawBufferPointer, _ lineB: Line) -> Bool {
        let length = lineA.keyEnd - lineA.keyStart
        guard length == lineB.keyEnd - lineB.keyStart else { return false }
        guard length > 0 else { return true }
        return memcmp(a.baseAddress! + lineA.keyStart, b.baseAddress! + lineB.keyStart, length) == 0
    }

    /// The line of the first value given for `key`.
    private func find(_ key: String) -> Line? {
        assert(keeping?.lists(key) ?? true, "INFO key \(key) is read but not in the parser's InfoKeys")
        var key = key
        return key.withUTF8 { keyBytes -> Line? in
            let keyRaw = UnsafeRawBufferPointer(keyBytes)
            let hash = Self.hash(keyRaw, from: 0, to: keyRaw.count, seed: seed)
            let probe = Line(hash: hash, keyStart: 0, keyEnd: keyRaw.count, valueEnd: keyRaw.count)
            return bytes.withUnsafeBytes { raw -> Line? in
                lines.withUnsafeBufferPointer { lines -> Line? in
                    table.withUnsafeBufferPointer { table -> Line? in
                        let mask = table.count - 1
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while table[slot] >= 0 {
                            let line = lines[Int(table[slot])]
                            if line.hash == hash, Self.equal(raw, line, keyRaw, probe) { return line }
                            slot = (slot + 1) & mask
                        }
                        return nil
                    }
                }
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
        assert(keeping?.listsPrefix(prefix) ?? true, "INFO keys \(prefix)N are read but not in the parser's InfoKeys")
        var prefix = prefix
        var matching: [Line] = []
        prefix.withUTF8 { prefixBytes in
            bytes.withUnsafeBytes { raw in
                for line in lines {
                    let digitsStart = line.keyStart + prefixBytes.count
                    guard digitsStart < line.keyEnd, prefixBytes.isEmpty || (raw[line.keyStart] == prefixBytes[0]
                          && memcmp(raw.baseAddress! + line.keyStart, prefixBytes.baseAddress!, prefixBytes.count) == 0) else { continue }
                    var digits = digitsStart
                    while digits < line.keyEnd, raw[digits] >= 0x30, raw[digits] <= 0x39 { digits += 1 }
                    if digits == line.keyEnd { matching.append(line) }
                }
            }
        }
        return matching.map { InfoSubfields(bytes[$0.valueStart..<$0.valueEnd]) }
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
