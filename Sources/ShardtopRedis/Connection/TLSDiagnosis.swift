import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import ShardtopCore

/// BoringSSL says only "certificate verify failed". To tell an expired certificate from one signed
/// by another CA, look at the certificate itself: a second handshake whose verification callback
/// records the node's leaf certificate and then refuses, so no request is ever sent on it.
enum TLSDiagnosis {
    struct Leaf: Sendable {
        var notValidBefore: Date
        var notValidAfter: Date
    }

    static func untrustedReason(address: NodeAddress, client: TLSClient, connectTimeout: TimeAmount, group: any EventLoopGroup) async -> String {
        let fallback = TLSFailure.untrusted.reason(settings: client.settings, host: address.host)
        guard let leaf = await leafCertificate(address: address, client: client, connectTimeout: connectTimeout, group: group) else {
            return fallback
        }
        let now = Date()
        if leaf.notValidAfter < now {
            return "certificate expired on \(format(leaf.notValidAfter))"
        }
        if leaf.notValidBefore > now {
            return "certificate not valid before \(format(leaf.notValidBefore)) (check the clocks)"
        }
        return fallback
    }

    private static func leafCertificate(address: NodeAddress, client: TLSClient, connectTimeout: TimeAmount, group: any EventLoopGroup) async -> Leaf? {
        let seen = NIOLockedValueBox<Leaf?>(nil)
        guard let context = try? NIOSSLContext(configuration: .makeClientConfiguration()) else { return nil }
        let serverName = client.serverName(forHost: address.host)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, promise in
                        if let leaf = certificates.first {
                            seen.withLockedValue {
                                $0 = Leaf(notValidBefore: Date(timeIntervalSince1970: TimeInterval(leaf.notValidBefore)),
                                          notValidAfter: Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter)))
                            }
                        }
                        promise.succeed(NIOSSLVerificationResult.failed)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        guard let channel = try? await bootstrap.connect(host: address.host, port: address.port).get() else { return nil }
        // The callback runs during the handshake; wait for it, bounded by the connect timeout.
        let deadline = ContinuousClock.now + .nanoseconds(connectTimeout.nanoseconds)
        while seen.withLockedValue({ $0 == nil }) && channel.isActive && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        channel.close(promise: nil)
        return seen.withLockedValue { $0 }
    }

    private static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
