#if canImport(Glibc)
import Glibc
#endif

/// Makes a spawned child keep only descriptors 0, 1 and 2. Servers and daemons outlive the moment
/// they were started at, and an inherited descriptor (a pipe another thread reads to EOF, the one
/// Foundation's Process watches for a child's exit) would keep that reader waiting while they run.
public enum CloseInherited {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does not
    /// export; it is looked up at run time. Without it, every descriptor open now is closed one by one.
    public static func add(to actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd > 2 { descriptors.append(fd) }
        }
        for fd in descriptors where fd != dirfd(directory) { posix_spawn_file_actions_addclose(&actions, fd) }
    }
}
