#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Foundation
import NIOConcurrencyHelpers

/// Picks TCP ports on 127.0.0.1 that are free right now. They are taken below the kernel's
/// ephemeral range (ip_local_port_range), so an outgoing connection from this machine (our own
/// clients included) can never be handed the port a lab server is about to bind; the kernel's
/// own choice of port 0 is only a fallback. Ports handed out recently by this process are not
/// handed out again, so labs started side by side (parallel tests) do not collide. There is still
/// a window between picking and the server binding; LabCluster starts over on a bind failure.
public enum FreePort {
    private static let recent = NIOLockedValueBox<[Int]>([])

    public static func pick(count: Int) throws(FreePortError) -> [Int] {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [Int] = []
        let range = belowEphemeral()
        var attempts = 0
        // Hold every socket until all are picked, so no port is picked twice.
        while ports.count < count, let range, attempts < count * 50 {
            attempts += 1
            let candidate = Int.random(in: range)
            if ports.contains(candidate) || recent.withLockedValue({ $0.contains(candidate) }) { continue }
            if let fd = try? bindSocket(port: candidate) {
                sockets.append(fd)
                ports.append(candidate)
            }
        }
        while ports.count < count {
            let (fd, port) = try bindEphemeral()
            sockets.append(fd)
            ports.append(port)
        }
        recent.withLockedValue { list in
            list += ports
            if list.count > 2000 { list.removeFirst(list.count - 2000) }
        }
        return ports
    }

    /// 20000 up to the start of the ephemeral range, when that leaves room (it does on Linux defaults).
    static func belowEphemeral() -> ClosedRange<Int>? {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? "32768 60999"
        guard let low = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap({ Int($0) }),
              low > 21000 else { return nil }
        return 20000...(low - 1)
    }

    private static func bindSocket(port: Int) throws(FreePortError) -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw FreePortError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw FreePortError("port \(port) is taken")
        }
        return fd
    }

    private static func bindEphemeral() throws(FreePortError) -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw FreePortError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw FreePortError("bind() failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw FreePortError("getsockname() failed: errno \(errno)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// No free port could be had; `detail` is the system call that failed.
public struct FreePortError: Error, CustomStringConvertible {
    public let detail: String
    init(_ detail: String) { self.detail = detail }
    public var description: String { "could not find a free port on 127.0.0.1: \(detail)" }
}
