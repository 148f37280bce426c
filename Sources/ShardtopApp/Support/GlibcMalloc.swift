#if canImport(Glibc)
import Glibc

/// glibc's malloc tuning calls, which Swift's Glibc module does not import (malloc.h), looked up
/// at run time. Absent (another libc), they do nothing.
enum GlibcMalloc {
    /// mallopt's M_ARENA_MAX, from malloc.h.
    static let arenaMax: Int32 = -8

    static func setOption(_ option: Int32, _ value: Int32) {
        typealias Function = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Function.self)(option, value)
    }

    /// Returns freed heap memory to the system.
    static func trim() {
        typealias Function = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Function.self)(0)
    }
}
#endif
