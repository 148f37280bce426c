import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a node's host is this machine, so its log file (if it names one) is ours to read.
/// Loopback always is; otherwise the host must equal one of this machine's interface addresses
/// or its host name. A name that merely resolves here is not trusted: DNS could point anywhere.
public enum LocalHost {
    public static func contains(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered.hasPrefix("127.") || lowered == "::1" || lowered == "localhost" { return true }
        if lowered == ProcessInfo.processInfo.hostName.lowercased() { return true }
        return interfaceAddresses().contains(lowered)
    }

    static func interfaceAddresses() -> Set<String> {
        var result: Set<String> = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return result }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            if let address = entry.pointee.ifa_addr {
                let family = Int32(address.pointee.sa_family)
                if family == AF_INET || family == AF_INET6 {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
                    if getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                        // Drop an IPv6 zone ("fe80::1%eth0"): a node address never carries one.
                        let text = String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
                        result.insert(String(text.split(separator: "%").first ?? "").lowercased())
                    }
                }
            }
            cursor = entry.pointee.ifa_next
        }
        return result
    }
}
