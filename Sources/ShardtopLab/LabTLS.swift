import Foundation
import ShardtopCertificates
import ShardtopCore
import ShardtopRedis

/// The throwaway CA and certificates of a `lab --tls`, in the lab's own directory (so they go when
/// the lab goes). One node certificate serves every node: they all live on 127.0.0.1. A separate
/// client certificate is what shardtop (or redis-cli) presents, since the nodes require one.
public struct LabTLS: Sendable {
    public let directory: String
    public let caFile: String
    public let node: ThrowawayAuthority.IssuedFiles
    public let client: ThrowawayAuthority.IssuedFiles

    static func make(in labDirectory: String) throws -> LabTLS {
        let directory = "\(labDirectory)/tls"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let authority = try ThrowawayAuthority()
        let caFile = try authority.writeAuthority(to: directory)
        let node = try authority.issueFiles(.init(commonName: "shardtop lab node"), name: "node", in: directory)
        let client = try authority.issueFiles(.init(commonName: "shardtop lab client"), name: "client", in: directory)
        return LabTLS(directory: directory, caFile: caFile, node: node, client: client)
    }

    /// What shardtop needs to reach the lab.
    public var settings: TLSSettings {
        TLSSettings(caFile: caFile, certificateFile: client.certificate, keyFile: client.key)
    }

    /// Server options: TLS only (`port 0`, unless a plaintext port is asked for too), between nodes
    /// and to replicas too, client certificates required.
    func serverArguments(port: Int, plaintextPort: Int? = nil) -> [String] {
        [
            "--port", "\(plaintextPort ?? 0)", "--tls-port", "\(port)", "--tls-cluster", "yes", "--tls-replication", "yes",
            "--tls-cert-file", node.certificate, "--tls-key-file", node.key, "--tls-ca-cert-file", caFile,
            "--tls-auth-clients", "yes",
        ]
    }
}
