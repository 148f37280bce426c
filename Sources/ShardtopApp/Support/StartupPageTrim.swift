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
///
/// Dropping alone saved little (issue 12: 3 MiB): each touch of a file page that is not mapped maps
/// the 64 KiB around it as well (the kernel's fault-around), and a tick's code is scattered over
/// the whole binary, so about 1-2 MiB of code each tick really runs kept 10 MiB of the binary
/// resident. Fault-around never reaches past the end of a mapping (a VMA), so each dropped mapping
/// is also cut into one-page VMAs: every other page is marked MADV_RANDOM, a flag that changes
/// nothing else for pages already in the page cache, but one that neighbouring VMAs must share to
/// merge. A touch then maps only its own page. The cost is kernel bookkeeping (one VMA per page,
/// about 8,000 for the static binary's code), kept well inside vm.max_map_count, and one minor
/// fault per page of the working set instead of one per 64 KiB, once.
public enum StartupPageTrim {
    /// What was dropped, for tests and for `SHARDTOP_TRIM_REPORT`.
    public struct Result: Sendable {
        public var mappings: Int
        public var kilobytesBefore: Int
        public var kilobytesAfter: Int
        /// VMAs the dropped mappings were cut into (0 when the budget allowed none).
        public var pageMappings: Int = 0
    }

    /// At most this share of vm.max_map_count is used for the cut: the rest stays for malloc,
    /// thread stacks and whatever the process maps later.
    static let mapCountShare = 4

    @discardableResult
    public static func run() -> Result {
        #if os(Linux)
        let before = residentKilobytes()
        let (mappings, existing) = droppableMappings()
        var budget = splitBudget(maxMapCount: maxMapCount(), existing: existing)
        var dropped = 0
        var pageMappings = 0
        // The largest first: the binary's code is where the 64 KiB steps cost the most. Cut before
        // dropping: the other threads run meanwhile, and a page they touch between the drop and the
        // cut would bring its 64 KiB back for good.
        for mapping in mappings.sorted(by: { $0.length > $1.length }) {
            let pages = mapping.length / pageSize
            if pages > 1, pages - 1 <= budget {
                pageMappings += splitIntoPages(mapping)
                budget -= pages - 1
            }
            if madvise(mapping.start, mapping.length, MADV_DONTNEED) == 0 { dropped += 1 }
        }
        GlibcMalloc.trim()
        return Result(mappings: dropped, kilobytesBefore: before, kilobytesAfter: residentKilobytes(), pageMappings: pageMappings)
        #else
        return Result(mappings: 0, kilobytesBefore: 0, kilobytesAfter: 0)
        #endif
    }

    #if os(Linux)
    struct Mapping {
        var start: UnsafeMutableRawPointer
        var length: Int
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// How many VMAs the cut may add: up to a share of the limit, counting those that exist.
    static func splitBudget(maxMapCount: Int, existing: Int) -> Int {
        max(0, maxMapCount / mapCountShare - existing)
    }

    /// Marks every other page MADV_RANDOM, so no two neighbouring pages can share a VMA; returns
    /// the VMAs the mapping now spans. A refusal (ENOMEM at the limit) leaves a coarser cut, which
    /// is still correct: the flag changes no byte.
    static func splitIntoPages(_ mapping: Mapping) -> Int {
        var offset = pageSize
        var marked = 0
        while offset < mapping.length {
            if madvise(mapping.start + offset, pageSize, MADV_RANDOM) == 0 { marked += 1 } else { break }
            offset += 2 * pageSize
        }
        return marked == 0 ? 1 : min(mapping.length / pageSize, 2 * marked + 1)
    }

    private static func maxMapCount() -> Int {
        guard let text = readWhole("/proc/sys/vm/max_map_count"),
              let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return 65_530 }
        return value
    }

    /// Read-only, private, file-backed mappings with resident pages and no anonymous ones, and how
    /// many mappings the process has in all.
    static func droppableMappings() -> (mappings: [Mapping], existing: Int) {
        guard let text = readWhole("/proc/self/smaps") else { return ([], 0) }
        var result: [Mapping] = []
        var existing = 0
        var candidate: Mapping?
        var resident = 0
        func close() {
            if let candidate, resident > 0 { result.append(candidate) }
            candidate = nil
            resident = 0
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let header = header(line) {
                existing += 1
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
        return (result, existing)
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

    /// A /proc file to its end. procfs reports a size of 0, and String(contentsOfFile:) stopped
    /// after its first read: only the first mappings of smaps (the binary's code) were ever seen.
    static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    private static func kilobytes(_ line: Substring) -> Int {
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
    }

    private static func residentKilobytes() -> Int {
        guard let text = readWhole("/proc/self/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") { return kilobytes(line) }
        return 0
    }
    #endif
}
