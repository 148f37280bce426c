import Foundation

/// The keys a reader of an INFO reply looks up, so that `InfoFields` indexes only those lines.
///
/// A steady poll's INFO is about 170 lines of which the snapshot reads 40 keys; indexing all of
/// them was most of the parse on the event loop, every node, every tick (issue 12). A line whose
/// key is not listed is skipped once its key is hashed. Keys made of a listed prefix and digits
/// (`slave0`, `db0`) are kept for `InfoFields.numbered`. In debug builds, looking up a key that
/// is not listed traps, so a parser that starts reading a new field cannot silently get nil.
struct InfoKeys: Sendable {
    private let hashes: [UInt64]
    private let keys: [[UInt8]]
    /// Index into `keys` by hash; -1 is empty. A power of two long, at least twice `keys`.
    private let table: [Int32]
    private let prefixes: [[UInt8]]

    init(_ keys: [String], numbered prefixes: [String] = []) {
        let keyBytes = keys.map { Array($0.utf8) }
        let hashes = keyBytes.map { bytes in bytes.withUnsafeBytes { InfoFields.hash($0, from: 0, to: $0.count, seed: InfoFields.seed) } }
        var capacity = 16
        while capacity < keyBytes.count * 2 { capacity <<= 1 }
        var table = [Int32](repeating: -1, count: capacity)
        for index in keyBytes.indices {
            var slot = Int(truncatingIfNeeded: hashes[index]) & (capacity - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            table[slot] = Int32(index)
        }
        self.hashes = hashes
        self.keys = keyBytes
        self.table = table
        self.prefixes = prefixes.map { Array($0.utf8) }
    }

    /// Whether the key on `raw[start..<end]`, whose hash is `hash`, is listed or numbered.
    func keeps(hash: UInt64, _ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        let length = end - start
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 {
            let index = Int(table[slot])
            if hashes[index] == hash, keys[index].count == length,
               keys[index].withUnsafeBytes({ memcmp($0.baseAddress!, raw.baseAddress! + start, length) }) == 0 {
                return true
            }
            slot = (slot + 1) & mask
        }
        return isNumbered(raw, from: start, to: end)
    }

    private func isNumbered(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        // Cheap reject first: numbered keys end in a digit.
        guard end > start, (0x30...0x39).contains(raw[end - 1]) else { return false }
        for prefix in prefixes where prefix.count < end - start {
            guard prefix.withUnsafeBytes({ memcmp($0.baseAddress!, raw.baseAddress! + start, prefix.count) }) == 0 else { continue }
            var digit = start + prefix.count
            while digit < end, (0x30...0x39).contains(raw[digit]) { digit += 1 }
            if digit == end { return true }
        }
        return false
    }

    /// For the debug check in `InfoFields`.
    func lists(_ key: String) -> Bool { keys.contains(Array(key.utf8)) }
    func listsPrefix(_ prefix: String) -> Bool { prefixes.contains(Array(prefix.utf8)) }
}
