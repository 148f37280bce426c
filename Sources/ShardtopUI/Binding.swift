/// One key binding, declared once. The footer, the help screen, the README key table and
/// read-only filtering are all derived from `Bindings.all`, so they cannot drift apart.
public struct Binding: Sendable {
    public enum Scope: Sendable, Equatable, CustomStringConvertible {
        case global
        case screen(ScreenID)

        public var description: String {
            switch self {
            case .global: "everywhere"
            case .screen(let screen): screen.title
            }
        }
    }

    /// How much harm the key can do; destructive keys are dropped in --read-only mode.
    public enum Danger: Int, Sendable, Comparable {
        case none
        case caution
        case destructive

        public static func < (lhs: Danger, rhs: Danger) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var keys: [Key]
    public var scope: Scope
    /// Short footer label.
    public var label: String
    /// One sentence for the help screen and README.
    public var help: String
    public var danger: Danger
    public var action: Action
    public var inFooter: Bool
    /// Why the binding does nothing right now, or nil when it is available.
    public var disabledReason: @Sendable (AppState) -> String?

    public init(
        _ keys: [Key], scope: Scope = .global, label: String, help: String, danger: Danger = .none,
        action: Action, inFooter: Bool = false, disabledReason: @escaping @Sendable (AppState) -> String? = { _ in nil }
    ) {
        self.keys = keys
        self.scope = scope
        self.label = label
        self.help = help
        self.danger = danger
        self.action = action
        self.inFooter = inFooter
        self.disabledReason = disabledReason
    }

    public func applies(to screen: ScreenID) -> Bool {
        switch scope {
        case .global: true
        case .screen(let only): only == screen
        }
    }

    public var keyText: String { keys.map(\.description).joined(separator: "/") }
}
