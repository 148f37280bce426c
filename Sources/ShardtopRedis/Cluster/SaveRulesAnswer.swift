import ShardtopCore

/// What `CONFIG GET save` said: INFO never tells whether RDB snapshots are scheduled, and "no
/// persistence" cannot be judged without it. Asked once per connection and then every few minutes,
/// in the same pipelined round trip as the poll, never on its own.
public enum SaveRulesAnswer: Sendable, Equatable {
    /// The rules as configured; empty means RDB snapshots are off.
    case rules(String)
    /// The user may not run CONFIG GET (the README's monitoring user), or the server refused:
    /// not asked again on this connection, and the rules stay unknown.
    case refused

    /// How long an answer is trusted before asking again (CONFIG SET save can change it).
    public static let refreshSeconds: Double = 300

    static func from(_ reply: RESPValue) -> SaveRulesAnswer {
        switch ConfigGetReply.value(reply) {
        case .success(let value): .rules(value)
        case .failure: .refused
        }
    }

    /// Whether snapshots are scheduled; nil when refused.
    public var configured: Bool? {
        switch self {
        case .rules(let text): !text.allSatisfy(\.isWhitespace)
        case .refused: nil
        }
    }
}
