import Testing
import ShardtopCore
@testable import ShardtopRedis

@Suite struct TLSFailureTests {
    @Test func reasonNamesAreReadOffBoringSSLText() {
        let stack = "sslError([Error: 268436572 error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED at tls_record.cc:491])"
        #expect(TLSFailure.shortReason(stack) == "TLSV1_ALERT_CERTIFICATE_REQUIRED")
        #expect(TLSFailure.shortReason("plain \u{1B}[2J text") == "plain \\x1B[2J text")
    }

    @Test func eachCauseNamesTheFlagThatHelps() {
        let none = TLSSettings()
        let withCA = TLSSettings(caFile: "/ca.crt")
        let withClient = TLSSettings(caFile: "/ca.crt", certificateFile: "/c.crt", keyFile: "/c.key")
        #expect(TLSFailure.untrusted.reason(settings: none, host: "h").contains("--cacert"))
        #expect(TLSFailure.untrusted.reason(settings: withCA, host: "h").contains("not signed by the CA given"))
        #expect(TLSFailure.hostnameMismatch(expected: nil).reason(settings: none, host: "10.0.0.5").contains("not valid for 10.0.0.5"))
        #expect(TLSFailure.hostnameMismatch(expected: nil).reason(settings: TLSSettings(serverName: "db"), host: "10.0.0.5").contains("not valid for db"))
        #expect(TLSFailure.clientCertificateRequired.reason(settings: withCA, host: "h").contains("give --cert and --key"))
        #expect(TLSFailure.clientCertificateRejected("it does not trust the CA").reason(settings: withClient, host: "h").contains("refused our client certificate"))
        #expect(TLSFailure.peerSpeaksPlaintext.reason(settings: none, host: "h").contains("redis://"))
    }

    @Test func settingsRoundTripToFlags() {
        let settings = TLSSettings(caFile: "/ca", caDirectory: "/cas", certificateFile: "/c", keyFile: "/k", serverName: "db", insecure: true)
        #expect(settings.commandLineFlags == ["--tls", "--cacert", "/ca", "--cacert-dir", "/cas", "--cert", "/c", "--key", "/k", "--tls-server-name", "db", "--insecure"])
        #expect(TLSSettings().commandLineFlags == ["--tls"])
    }

    @Test func setupErrorsAreOneLine() {
        #expect(throws: TLSSetupError.incomplete("--cert needs --key (the client certificate's private key)")) {
            _ = try TLSClient(TLSSettings(certificateFile: "/nope.crt"))
        }
        #expect(throws: TLSSetupError.unreadable(path: "/nope.crt", what: "CA file (--cacert)", reason: "no such file or not readable")) {
            _ = try TLSClient(TLSSettings(caFile: "/nope.crt"))
        }
        #expect(throws: TLSSetupError.unreadable(path: "/nope", what: "CA directory (--cacert-dir)", reason: "not a directory")) {
            _ = try TLSClient(TLSSettings(caDirectory: "/nope"))
        }
    }

    @Test func anIPAddressIsNeverSentAsSNI() throws {
        let client = try TLSClient(TLSSettings(insecure: true))
        #expect(client.serverName(forHost: "10.0.0.5") == nil)
        #expect(client.serverName(forHost: "::1") == nil)
        #expect(client.serverName(forHost: "db.example") == "db.example")
        let named = try TLSClient(TLSSettings(serverName: "redis.internal", insecure: true))
        #expect(named.serverName(forHost: "10.0.0.5") == "redis.internal")
    }
}
