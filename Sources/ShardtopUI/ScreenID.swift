/// The dashboard's screens, in tab order. Number keys 1-8 pick them.
public enum ScreenID: Int, CaseIterable, Sendable, Hashable {
    case overview = 1
    case nodes
    case slots
    case replication
    case balance
    case events
    case logs
    case capacity

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .nodes: "Nodes"
        case .slots: "Slot map"
        case .replication: "Replication"
        case .balance: "Balance"
        case .events: "Events"
        case .logs: "Logs"
        case .capacity: "Capacity"
        }
    }

    /// For a tab bar too narrow for every full title.
    public var shortTitle: String {
        switch self {
        case .slots: "Slots"
        case .replication: "Repl"
        default: title
        }
    }

    public var next: ScreenID { ScreenID(rawValue: rawValue % ScreenID.allCases.count + 1) ?? .overview }
    public var previous: ScreenID { ScreenID(rawValue: (rawValue + ScreenID.allCases.count - 2) % ScreenID.allCases.count + 1) ?? .overview }
}
