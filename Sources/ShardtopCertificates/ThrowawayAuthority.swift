import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority that lives for one lab or one test: it signs node and client
/// certificates for loopback, and writes them as PEM files the servers and shardtop read.
///
/// Made in-process with swift-certificates rather than by shelling out to openssl: no tool to
/// find or version to match, and a test can ask for exactly the broken certificate it needs
/// (expired, for another host, from another CA) with one argument.
public struct ThrowawayAuthority: Sendable {
    public let name: String
    private let key: P256.Signing.PrivateKey
    public let certificate: Certificate

    /// PEM files of one issued certificate and its key.
    public struct IssuedFiles: Sendable, Equatable {
        public let certificate: String
        public let key: String
    }

    public init(name: String = "shardtop lab CA") throws {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let now = Date()
        self.name = name
        self.key = key
        self.certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(30 * 86400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key)
        )
    }

    /// What an issued certificate is valid for and when.
    public struct Request: Sendable {
        public var commonName: String
        public var dnsNames: [String]
        /// Dotted IPv4 or IPv6 text.
        public var ipAddresses: [String]
        public var notValidBefore: Date
        public var notValidAfter: Date

        public init(commonName: String, dnsNames: [String] = ["localhost"], ipAddresses: [String] = ["127.0.0.1"],
                    notValidBefore: Date = Date().addingTimeInterval(-3600), notValidAfter: Date = Date().addingTimeInterval(30 * 86400)) {
            self.commonName = commonName
            self.dnsNames = dnsNames
            self.ipAddresses = ipAddresses
            self.notValidBefore = notValidBefore
            self.notValidAfter = notValidAfter
        }

        /// Already expired an hour ago: for the "expired certificate" error.
        public static func expired(commonName: String) -> Request {
            Request(commonName: commonName, notValidBefore: Date().addingTimeInterval(-7200), notValidAfter: Date().addingTimeInterval(-3600))
        }
    }

    /// Issues a certificate good for both ends of a TLS connection: a node serves with it and,
    /// with tls-cluster and tls-replication, also presents it as a client to its peers.
    public func issue(_ request: Request) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let leafKey = P256.Signing.PrivateKey()
        var names: [GeneralName] = request.dnsNames.map { .dnsName($0) }
        for text in request.ipAddresses {
            guard let bytes = Self.addressBytes(text) else { throw AuthorityError.badAddress(text) }
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey),
            notValidBefore: request.notValidBefore, notValidAfter: request.notValidAfter,
            issuer: self.certificate.subject, subject: try DistinguishedName { CommonName(request.commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(key)
        )
        return (certificate, leafKey)
    }

    /// Writes the CA certificate as `ca.crt` in `directory` and returns its path.
    @discardableResult
    public func writeAuthority(to directory: String) throws -> String {
        let path = "\(directory)/ca.crt"
        try Self.write(try certificate.serializeAsPEM().pemString, to: path, mode: 0o644)
        return path
    }

    /// Issues and writes `<name>.crt` and `<name>.key` (the key readable by its owner only).
    public func issueFiles(_ request: Request, name: String, in directory: String) throws -> IssuedFiles {
        let (certificate, key) = try issue(request)
        let files = IssuedFiles(certificate: "\(directory)/\(name).crt", key: "\(directory)/\(name).key")
        try Self.write(try certificate.serializeAsPEM().pemString, to: files.certificate, mode: 0o644)
        try Self.write(key.pemRepresentation, to: files.key, mode: 0o600)
        return files
    }

    private static func write(_ text: String, to path: String, mode: Int) throws {
        let written = FileManager.default.createFile(
            atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: mode]
        )
        guard written else { throw AuthorityError.cannotWrite(path) }
    }

    static func addressBytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 {
            let octets = parts.compactMap { UInt8($0) }
            return octets.count == 4 ? octets : nil
        }
        if text == "::1" { return Array(repeating: 0, count: 15) + [1] }
        return nil
    }
}

public enum AuthorityError: Error, CustomStringConvertible {
    case badAddress(String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .badAddress(let text): "not an IP address for a certificate: \(text)"
        case .cannotWrite(let path): "cannot write \(path)"
        }
    }
}
