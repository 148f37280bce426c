#if os(Linux)
import Foundation
import Glibc
@testable import ShardtopApp
import Testing

/// StartupPageTrim on a file mapping of our own: after the cut, touching one page maps that page
/// alone, not the 64 KiB the kernel's fault-around would map (issue 12, dashboard RSS).
@Suite struct StartupPageTrimTests {
    static let pages = 64

    @Test func aTouchAfterTheCutMapsOnlyItsOwnPage() throws {
        let pageSize = StartupPageTrim.pageSize
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trim-\(UUID().uuidString)").path
        defer { unlink(path) }
        try Data(repeating: 7, count: Self.pages * pageSize).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let base = try #require(mmap(nil, Self.pages * pageSize, PROT_READ, MAP_PRIVATE, fd, 0))
        try #require(base != MAP_FAILED)
        defer { munmap(base, Self.pages * pageSize) }
        let mapping = StartupPageTrim.Mapping(start: base, length: Self.pages * pageSize)

        // Without the cut, one touch maps its neighbours too (when the kernel faults around at all).
        let before = Self.touchAndCount(base, pageSize: pageSize, page: 20)
        #expect(madvise(base, Self.pages * pageSize, MADV_DONTNEED) == 0)

        let vmas = StartupPageTrim.splitIntoPages(mapping)
        #expect(vmas == Self.pages)
        #expect(try Self.mappingsWithin(base, length: Self.pages * pageSize) == Self.pages)
        #expect(Self.touchAndCount(base, pageSize: pageSize, page: 20) == 1)
        #expect(Self.touchAndCount(base, pageSize: pageSize, page: 21) == 2)
        // The bytes are the file's, page after page.
        #expect(base.load(fromByteOffset: 33 * pageSize + 5, as: UInt8.self) == 7)
        #expect(before >= 1)
    }

    /// procfs files report a size of 0; String(contentsOfFile:) returned only the first 4 KiB.
    @Test func procFilesAreReadToTheirEnd() throws {
        let whole = try #require(StartupPageTrim.readWhole("/proc/self/smaps"))
        let first = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        #expect(whole.utf8.count > 4096)
        #expect(whole.utf8.count >= first.utf8.count)
        #expect(whole.split(separator: "\n").contains { $0.hasPrefix("VmFlags:") })
    }

    @Test func theCutStaysWithinItsShareOfTheMapCount() {
        #expect(StartupPageTrim.splitBudget(maxMapCount: 65_530, existing: 200) == 65_530 / 4 - 200)
        #expect(StartupPageTrim.splitBudget(maxMapCount: 1_000, existing: 400) == 0)
    }

    /// Touches one page and counts the pages of the mapping now present (/proc/self/pagemap).
    static func touchAndCount(_ base: UnsafeMutableRawPointer, pageSize: Int, page: Int) -> Int {
        _ = base.load(fromByteOffset: page * pageSize, as: UInt8.self)
        let fd = open("/proc/self/pagemap", O_RDONLY)
        guard fd >= 0 else { return -1 }
        defer { close(fd) }
        var present = 0
        var entry: UInt64 = 0
        let first = Int(bitPattern: base) / pageSize
        for index in 0..<pages {
            guard pread(fd, &entry, 8, off_t((first + index) * 8)) == 8 else { return -1 }
            if entry >> 63 == 1 { present += 1 }
        }
        return present
    }

    /// How many lines of /proc/self/maps fall within the range.
    static func mappingsWithin(_ base: UnsafeMutableRawPointer, length: Int) throws -> Int {
        let low = UInt(bitPattern: Int(bitPattern: base))
        let high = low + UInt(length)
        let text = try #require(StartupPageTrim.readWhole("/proc/self/maps"))
        return text.split(separator: "\n").filter { line in
            guard let dash = line.firstIndex(of: "-"), let start = UInt(line[..<dash], radix: 16) else { return false }
            return start >= low && start < high
        }.count
    }
}
#endif
