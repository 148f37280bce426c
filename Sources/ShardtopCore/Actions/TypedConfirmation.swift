/// A confirmation the operator must type word for word, for actions that can lose data or skip the
/// cluster's own safety checks. A single keypress is too easy to give by reflex.
public struct TypedConfirmation: Hashable, Sendable {
    /// What is at stake, in one or two sentences.
    public var warning: String
    /// The exact text to type.
    public var expected: String

    public init(warning: String, expected: String) {
        self.warning = warning
        self.expected = expected
    }

    /// Surrounding blanks are forgiven; case is not, so "force" typed by habit does not pass.
    public func accepts(_ typed: String) -> Bool {
        typed.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") == expected
    }
}
