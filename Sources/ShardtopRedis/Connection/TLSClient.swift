import Foundation
import NIOCore
import NIOSSL
import ShardtopCore

/// The TLS context of one session, built once from `TLSSettings` (loading the CA, certificate and
/// key files) and shared by every connection, so files are read and checked once, at start, where
/// a bad path is a one-line error instead of one failure per node per tick.
public final class TLSClient: Sendable {
    public let settings: TLSSettings
    let context: NIOSSLContext

    public init(_ settings: TLSSettings) throws(TLSSetupError) {
        self.settings = settings
        var configuration = TLSConfiguration.makeClientConfiguration()
        if settings.insecure {
            configuration.certificateVerification = .none
        } else if settings.caFile != nil || settings.caDirectory != nil {
            // Only what the operator named: a cluster's private CA should not widen to the system's.
            if let file = settings.caFile {
                configuration.trustRoots = .certificates(try Self.certificates(file, what: "CA file (--cacert)"))
                if let directory = settings.caDirectory { configuration.additionalTrustRoots = [.file(try Self.directory(directory))] }
            } else if let directory = settings.caDirectory {
                configuration.trustRoots = .file(try Self.directory(directory))
            }
        }
        switch (settings.certificateFile, settings.keyFile) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            configuration.certificateChain = try Self.certificates(certificate, what: "client certificate (--cert)").map { .certificate($0) }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            } catch {
                throw .unreadable(path: key, what: "client key (--key)", reason: Self.loadFailure(key))
            }
        case (_?, nil):
            throw .incomplete("--cert needs --key (the client certificate's private key)")
        case (nil, _?):
            throw .incomplete("--key needs --cert (the client certificate)")
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .unusable("the TLS settings were refused: \(error)")
        }
    }

    /// A handler for one new connection to `host`.
    func handler(forHost host: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverName(forHost: host))
    }

    /// The name to send and check: the operator's choice, else a DNS host. An IP address cannot go
    /// in SNI; NIOSSL then checks the certificate's IP SANs against the address it connected to.
    func serverName(forHost host: String) -> String? {
        if let name = settings.serverName { return name }
        return Self.isIPAddress(host) ? nil : host
    }

    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    private static func certificates(_ path: String, what: String) throws(TLSSetupError) -> [NIOSSLCertificate] {
        let loaded: [NIOSSLCertificate]
        do { loaded = try NIOSSLCertificate.fromPEMFile(path) } catch { throw .unreadable(path: path, what: what, reason: loadFailure(path)) }
        guard !loaded.isEmpty else { throw .unreadable(path: path, what: what, reason: "no PEM certificate in it") }
        return loaded
    }

    private static func directory(_ path: String) throws(TLSSetupError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unreadable(path: path, what: "CA directory (--cacert-dir)", reason: "not a directory")
        }
        return path
    }

    private static func loadFailure(_ path: String) -> String {
        FileManager.default.isReadableFile(atPath: path) ? "not a PEM file" : "no such file or not readable"
    }
}

/// Why TLS could not even be set up (before any node was asked). One line each.
public enum TLSSetupError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, what: String, reason: String)
    case incomplete(String)
    case unusable(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let what, let reason): "cannot use \(what) \(path): \(reason)"
        case .incomplete(let text): text
        case .unusable(let text): text
        }
    }
}
