import NIOCore

/// Decodes one RESP2/RESP3 value at a time from a byte stream.
///
/// The parser keeps no state between calls: when the buffer does not yet hold a whole value it
/// consumes nothing and returns nil, and the next call starts again from the reader index.
/// Only an incomplete value is ever re-read, and a large bulk string is never scanned before all
/// of its bytes are present, so the repeated work stays small for the replies a dashboard polls.
///
/// Nesting is handled with an explicit stack instead of recursion, so `maxDepth` is a policy
/// choice rather than a guard against stack overflow.
public struct RESPParser: Sendable {
    public var limits: RESPLimits

    public init(limits: RESPLimits = .default) {
        self.limits = limits
    }

    public mutating func parse(_ buffer: inout ByteBuffer) throws(RESPProtocolError) -> RESPValue? {
        let limits = self.limits
        let outcome = buffer.withUnsafeReadableBytes { bytes -> Result<(RESPValue, Int)?, RESPProtocolError> in
            var reader = RESPReader(bytes: bytes, limits: limits)
            do throws(RESPReader.Stop) {
                let value = try reader.readValue()
                return .success((value, reader.position))
            } catch {
                switch error {
                case .needMoreData: return .success(nil)
                case .invalid(let violation): return .failure(violation)
                }
            }
        }
        switch outcome {
        case .success(.some((let value, let consumed))):
            buffer.moveReaderIndex(forwardBy: consumed)
            return value
        case .success(.none):
            return nil
        case .failure(let violation):
            throw violation
        }
    }
}

/// Walks a borrowed view of the readable bytes. Running out of data is signalled by throwing
/// `.needMoreData`, which keeps the happy path free of optional plumbing at every step.
private struct RESPReader {
    enum Stop: Error {
        case needMoreData
        case invalid(RESPProtocolError)
    }

    let bytes: UnsafeRawBufferPointer
    let limits: RESPLimits
    private(set) var position = 0

    init(bytes: UnsafeRawBufferPointer, limits: RESPLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func readValue() throws(Stop) -> RESPValue {
        var open: [OpenAggregate] = []
        while true {
            switch try readItem(depth: open.count) {
            case .value(let value):
                if let topLevel = Self.deliver(value, to: &open) {
                    return topLevel
                }
            case .open(let aggregate):
                open.append(aggregate)
            case .emptyAttribute:
                continue
            }
        }
    }

    /// Appends a finished value to its parent, and a parent that becomes full to its own parent.
    /// Returns the value once nothing is left open, i.e. when the top-level value is complete.
    private static func deliver(_ value: RESPValue, to open: inout [OpenAggregate]) -> RESPValue? {
        var finished = value
        while let last = open.indices.last {
            open[last].append(finished)
            guard open[last].isComplete else { return nil }
            guard let completed = open.removeLast().value else {
                return nil  // an attribute: dropped, the value it annotates is read next
            }
            finished = completed
        }
        return finished
    }

    private enum Item {
        case value(RESPValue)
        case open(OpenAggregate)
        case emptyAttribute
    }

    private mutating func readItem(depth: Int) throws(Stop) -> Item {
        let type = try readByte()
        switch type {
        case UInt8(ascii: "+"):
            return .value(.simpleString(text(try readLine())))
        case UInt8(ascii: "-"):
            return .value(.error(text(try readLine())))
        case UInt8(ascii: ":"):
            return .value(.integer(try readDecimal(allowPlus: true, malformed: .badInteger, overflow: .integerOverflow)))
        case UInt8(ascii: "$"):
            guard let range = try readBlob() else { return .value(.null) }
            return .value(.bulkString(Array(bytes[range])))
        case UInt8(ascii: "!"):
            return .value(.error(text(try readNonNullBlob())))
        case UInt8(ascii: "="):
            return .value(try verbatim(readNonNullBlob()))
        case UInt8(ascii: ","):
            return .value(.double(try double(readLine())))
        case UInt8(ascii: "#"):
            return .value(.boolean(try readBoolean()))
        case UInt8(ascii: "("):
            return .value(.bigNumber(try bigNumber(readLine())))
        case UInt8(ascii: "_"):
            try expectCRLF()
            return .value(.null)
        case UInt8(ascii: "*"):
            return try readAggregateHeader(.array, depth: depth)
        case UInt8(ascii: "~"):
            return try readAggregateHeader(.set, depth: depth)
        case UInt8(ascii: ">"):
            return try readAggregateHeader(.push, depth: depth)
        case UInt8(ascii: "%"):
            return try readAggregateHeader(.map, depth: depth)
        case UInt8(ascii: "|"):
            return try readAggregateHeader(.attribute, depth: depth)
        default:
            throw .invalid(.unknownTypeByte(type))
        }
    }

    private mutating func readAggregateHeader(_ kind: OpenAggregate.Kind, depth: Int) throws(Stop) -> Item {
        // Checked before the count so that a deep chain fails at the first level too many.
        guard depth < limits.maxDepth else { throw .invalid(.nestingTooDeep(limit: limits.maxDepth)) }
        let count = try readLength()
        if count == -1, kind == .array {
            return .value(.null)
        }
        guard count >= 0 else { throw .invalid(.negativeLength(count)) }
        let elementCount: Int
        if kind.countsPairs {
            guard count <= Int64(limits.maxElements / 2) else {
                throw .invalid(.mapTooLarge(pairs: count, limit: limits.maxElements))
            }
            elementCount = Int(count) * 2
        } else {
            guard count <= Int64(limits.maxElements) else {
                throw .invalid(.aggregateTooLarge(count: count, limit: limits.maxElements))
            }
            elementCount = Int(count)
        }
        let aggregate = OpenAggregate(kind: kind, remaining: elementCount)
        if elementCount > 0 {
            return .open(aggregate)
        }
        guard let empty = aggregate.value else { return .emptyAttribute }
        return .value(empty)
    }

    // MARK: - Scalars

    private mutating func readByte() throws(Stop) -> UInt8 {
        guard position < bytes.count else { throw .needMoreData }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func expectCRLF() throws(Stop) {
        guard try readByte() == .cr else { throw .invalid(.missingCRLF) }
        guard try readByte() == .lf else { throw .invalid(.missingCRLF) }
    }

    /// Returns the line's content without its CRLF. The search window is capped so that a peer
    /// which never sends CRLF is rejected after `maxLineLength` bytes instead of being buffered forever.
    private mutating func readLine() throws(Stop) -> Range<Int> {
        let start = position
        let available = bytes.count - start
        let window = available > limits.maxLineLength ? limits.maxLineLength + 1 : available
        guard let cr = bytes[start..<(start + window)].firstIndex(of: .cr) else {
            if available > limits.maxLineLength {
                throw .invalid(.lineTooLong(limit: limits.maxLineLength))
            }
            throw .needMoreData
        }
        position = cr + 1
        guard try readByte() == .lf else { throw .invalid(.missingCRLF) }
        return start..<cr
    }

    /// Reads a signed decimal terminated by CRLF. Digits are consumed one at a time with an
    /// overflow check, so an absurdly long number fails after about 20 digits without a line scan.
    private mutating func readDecimal(
        allowPlus: Bool,
        malformed: RESPProtocolError,
        overflow: RESPProtocolError
    ) throws(Stop) -> Int64 {
        var byte = try readByte()
        let negative = byte == UInt8(ascii: "-")
        if negative || (allowPlus && byte == UInt8(ascii: "+")) {
            byte = try readByte()
        }
        // Int64.min has no positive counterpart, so negatives may reach one more than Int64.max.
        let bound = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        var magnitude: UInt64 = 0
        var digits = 0
        while byte != .cr {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalid(malformed) }
            let digit = UInt64(byte - UInt8(ascii: "0"))
            guard magnitude <= (bound - digit) / 10 else { throw .invalid(overflow) }
            magnitude = magnitude * 10 + digit
            digits += 1
            byte = try readByte()
        }
        guard digits > 0 else { throw .invalid(malformed) }
        guard try readByte() == .lf else { throw .invalid(.missingCRLF) }
        if !negative {
            return Int64(magnitude)
        }
        return magnitude == bound ? Int64.min : -Int64(magnitude)
    }

    private mutating func readLength() throws(Stop) -> Int64 {
        try readDecimal(allowPlus: false, malformed: .badLength, overflow: .lengthOverflow)
    }

    /// Returns the payload range of a length-prefixed string, or nil for the RESP2 null `-1`.
    private mutating func readBlob() throws(Stop) -> Range<Int>? {
        let length = try readLength()
        if length == -1 {
            return nil
        }
        guard length >= 0 else { throw .invalid(.negativeLength(length)) }
        guard length <= Int64(limits.maxBulkLength) else {
            throw .invalid(.bulkTooLong(length: length, limit: limits.maxBulkLength))
        }
        let count = Int(length)
        // Wait for the whole payload before touching it: re-parsing an incomplete bulk string
        // then costs only its header, however many chunks the payload arrives in.
        // Written as a subtraction so that even a limit of Int.max cannot make `count + 2` overflow.
        let available = bytes.count - position
        guard available >= 2, available - 2 >= count else { throw .needMoreData }
        let payload = position..<(position + count)
        position += count
        guard bytes[position] == .cr, bytes[position + 1] == .lf else {
            throw .invalid(.missingCRLFAfterBulk)
        }
        position += 2
        return payload
    }

    /// Bulk errors and verbatim strings have no null form in RESP3.
    private mutating func readNonNullBlob() throws(Stop) -> Range<Int> {
        guard let range = try readBlob() else { throw .invalid(.negativeLength(-1)) }
        return range
    }

    private mutating func readBoolean() throws(Stop) -> Bool {
        let flag = try readByte()
        try expectCRLF()
        switch flag {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw .invalid(.badBoolean)
        }
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private func double(_ range: Range<Int>) throws(Stop) -> Double {
        switch text(range) {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        case let literal:
            guard let value = Double(literal) else { throw .invalid(.badDouble) }
            return value
        }
    }

    private func bigNumber(_ range: Range<Int>) throws(Stop) -> String {
        var digits = bytes[range]
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalid(.badBigNumber)
        }
        return text(range)
    }

    private func verbatim(_ range: Range<Int>) throws(Stop) -> RESPValue {
        let separator = range.lowerBound + 3
        guard range.count >= 4, bytes[separator] == UInt8(ascii: ":") else { throw .invalid(.badVerbatim) }
        return .verbatim(
            format: text(range.lowerBound..<separator),
            text: text((separator + 1)..<range.upperBound)
        )
    }
}

/// An aggregate whose header has been read but whose elements are still arriving.
private struct OpenAggregate {
    enum Kind {
        case array, set, push, map, attribute

        var countsPairs: Bool { self == .map || self == .attribute }
    }

    let kind: Kind
    var remaining: Int
    // Grows only as elements actually arrive: the declared count is untrusted, so it is never
    // used to reserve capacity.
    private var elements: [RESPValue] = []

    init(kind: Kind, remaining: Int) {
        self.kind = kind
        self.remaining = remaining
    }

    var isComplete: Bool { remaining == 0 }

    mutating func append(_ element: RESPValue) {
        remaining -= 1
        if kind != .attribute {
            elements.append(element)
        }
    }

    /// The finished value, or nil for an attribute, which RESPValue does not represent.
    var value: RESPValue? {
        switch kind {
        case .array: return .array(elements)
        case .set: return .set(elements)
        case .push: return .push(elements)
        case .attribute: return nil
        case .map:
            var pairs: [RESPPair] = []
            pairs.reserveCapacity(elements.count / 2)  // safe: these elements are already in memory
            var index = elements.startIndex
            while index < elements.endIndex {
                pairs.append(RESPPair(key: elements[index], value: elements[index + 1]))
                index += 2
            }
            return .map(pairs)
        }
    }
}

extension UInt8 {
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let lf = UInt8(ascii: "\n")
}
