import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands back the memory a dashboard needed only to start: once, after the first frames.
///
/// Most of a Swift dashboard's resident set is not its data but file pages: the code and read-only
/// data of the binary and of libswiftCore and Foundation that argument parsing, theme loading, lab
/// formation and the first render touched (issue 12: 32 of 39 MB). Those pages stay mapped for the
/// life of the process although most are never touched again. Here they are dropped from the page
/// tables (MADV_DONTNEED); what the steady state still uses comes back on its next touch as a minor
/// fault from the page cache, so what stays resident is the working set. Freed heap goes back to
/// the system (malloc_trim).
///
/// Only mappings that cannot hold private changes are dropped: not writable, backed by a file,
/// and with no anonymous (copied-on-write) pages, so re-reading them from the file gives the very
/// same bytes. Writable data, the heap, stacks and relocated read-only data are left alone.
public enum StartupPageTrim {
    /// What was dropped, for tests and for `SHARDTOP_TRIM_REPORT`.
    public struct Result: Sendable {
        public var mappings: Int
        public var kilobytesBefore: Int
        public var kilobytesAfter: Int
    }

    @discardableResult
    public static func run() -> Result {
        #if os(Linux)
        let before = residentKilobytes()
        var dropped = 0
        for mapping in droppableMappings() where madvise(mapping.start, mapping.length, MADV_DONTNEED) == 0 {
            dropped += 1
        }
        GlibcMalloc.trim()
        return Result(mappings: dropped, kilobytesBefore: before, kilobytesAfter: residentKilobytes())
        #else
        return Result(mappings: 0, kilobytesBefore: 0, kilobytesAfter: 0)
        #endif
    }

    #if os(Linux)
    struct Mapping {
        var start: UnsafeMutableRawPointer
        var length: Int
    }

    /// Read-only, private, file-backed mappings with resident pages and no anonymous ones.
    static func droppableMappings() -> [Mapping] {
        guard let text = try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8) else { return [] }
        var result: [Mapping] = []
        var candidate: Mapping?
        var resident = 0
        func close() {
            if let candidate, resident > 0 { result.append(candidate) }
            candidate = nil
            resident = 0
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let header = header(line) {
                close()
                candidate = header
                continue
            }
            guard candidate != nil else { continue }
            if line.hasPrefix("Rss:") {
                resident = kilobytes(line)
            } else if line.hasPrefix("Anonymous:") || line.hasPrefix("Swap:"), kilobytes(line) != 0 {
                candidate = nil
            }
        }
        close()
        return result
    }

    /// A mapping's header line ("start-end perms offset dev inode path") when it is a candidate.
    private static func header(_ line: Substring) -> Mapping?? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, let dash = fields[0].firstIndex(of: "-"),
              let start = UInt(fields[0][..<dash], radix: 16), let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16)
        else { return nil }  // not a header: a "Key: value" line
        let perms = fields[1]
        let path = fields.count > 5 ? fields[5].trimmingCharacters(in: .whitespaces) : ""
        guard perms.count == 4, perms.hasPrefix("r"), !perms.contains("w"), perms.hasSuffix("p"),
              path.hasPrefix("/"), end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start)
        else { return .some(nil) }
        return .some(Mapping(start: pointer, length: Int(end - start)))
    }

    private static func kilobytes(_ line: Substring) -> Int {
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
    }

    private static func residentKilobytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") { return kilobytes(line) }
        return 0
    }
    #endif
}
