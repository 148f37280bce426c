import NIOSSL
import ShardtopCore

/// Turns what NIOSSL and BoringSSL say about a failed TLS connection into the cause an operator
/// can act on, with the flag that fixes it. BoringSSL reports causes as reason names inside an
/// error stack (CERTIFICATE_VERIFY_FAILED, WRONG_VERSION_NUMBER, ...), so they are matched by name.
enum TLSFailure: Equatable {
    /// The node's certificate did not verify; `TLSDiagnosis` looks at it to say why (expired, other CA).
    case untrusted
    case hostnameMismatch(expected: String?)
    case clientCertificateRequired
    case clientCertificateRejected(String)
    case peerSpeaksPlaintext
    case other(String)

    static func classify(_ error: any Error) -> TLSFailure? {
        if let extra = error as? NIOSSLExtraError {
            if extra == .failedToValidateHostname || extra == .serverHostnameImpossibleToMatch {
                return .hostnameMismatch(expected: nil)
            }
            return .other(String(describing: extra))
        }
        guard error is NIOSSLError || error is BoringSSLError else { return nil }
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return .untrusted }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("PACKET_LENGTH_TOO_LONG") {
            return .peerSpeaksPlaintext
        }
        if text.contains("CERTIFICATE_REQUIRED") { return .clientCertificateRequired }
        for (reason, cause) in Self.clientCertificateAlerts where text.contains(reason) {
            return .clientCertificateRejected(cause)
        }
        if text.contains("HANDSHAKE_FAILURE") { return .clientCertificateRejected("handshake refused (a client certificate it does not accept, or none?)") }
        if case NIOSSLError.uncleanShutdown = error { return .other("the node closed the connection during the TLS handshake") }
        return .other(Self.shortReason(text))
    }

    /// Alerts a server sends when it does not accept the certificate we presented.
    private static let clientCertificateAlerts: [(String, String)] = [
        ("ALERT_UNKNOWN_CA", "it does not trust the CA that signed our client certificate"),
        ("ALERT_CERTIFICATE_EXPIRED", "our client certificate has expired"),
        ("ALERT_BAD_CERTIFICATE", "it rejected our client certificate"),
        ("ALERT_CERTIFICATE_UNKNOWN", "it rejected our client certificate"),
        ("ALERT_DECRYPT_ERROR", "our client key does not match our client certificate"),
    ]

    /// The cause as a phrase, given what the operator set (to name the flag that would help).
    func reason(settings: TLSSettings, host: String) -> String {
        switch self {
        case .untrusted:
            return settings.caFile == nil && settings.caDirectory == nil
                ? "certificate not trusted: not signed by a system CA (give the cluster's CA with --cacert)"
                : "certificate not trusted: not signed by the CA given (--cacert/--cacert-dir)"
        case .hostnameMismatch:
            let name = settings.serverName ?? host
            return "hostname mismatch: the certificate is not valid for \(name) (--tls-server-name NAME checks another name)"
        case .clientCertificateRequired:
            return settings.certificateFile == nil
                ? "the node requires a client certificate (give --cert and --key)"
                : "the node requires a client certificate and did not accept ours"
        case .clientCertificateRejected(let cause):
            return settings.certificateFile == nil
                ? "the node requires a client certificate (give --cert and --key)"
                : "the node refused our client certificate: \(cause)"
        case .peerSpeaksPlaintext:
            return "the node speaks plaintext, not TLS, on this port (use redis:// or leave out --tls)"
        case .other(let text):
            return "TLS handshake failed: \(text)"
        }
    }

    /// BoringSSL's stack reads like `sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:REASON])`;
    /// the reason name is the useful part.
    static func shortReason(_ text: String) -> String {
        if let range = text.range(of: "OPENSSL_internal:") {
            return String(text[range.upperBound...].prefix { $0 != "]" && $0 != "," && $0 != ")" && $0 != " " })
        }
        return sanitizedForDisplay(text, limit: 120)
    }
}
