import ShardtopCore

/// Everything the dashboard shows, as one value. Rendering reads only this (never a clock or a
/// socket), so any screen can be reproduced in a test from a state.
public struct AppState: Sendable {
    public var snapshot: ClusterSnapshot? {
        didSet { views = nil }
    }
    /// Derived from `snapshot` by the reducer (`SnapshotViews.refresh`), so keys and frames do not
    /// re-derive it; nil whenever `snapshot` has been set since.
    var views: SnapshotViews?
    /// Newest last; capped so a long session cannot grow without bound.
    public var events: [ClusterEvent] = []
    /// Computed once per snapshot (not per frame): check's findings over the current snapshot.
    public var findings: [Finding] = []
    public var lagThresholds = LagThresholds.default
    public var capacityThresholds = CapacityThresholds.default
    public var persistenceThresholds = PersistenceThresholds.default
    public var history = History()
    /// Each shard's fill forecast (by primary id), computed once per snapshot from `history.capacity`.
    public var forecasts: [String: CapacityForecast] = [:]
    public var screen: ScreenID = .overview
    public var showHelp = false
    /// Seconds since the Unix epoch, supplied from outside (tests inject it).
    public var now: Double = 0
    public var paused = false
    public var interval: Double = 1
    public var width = 80
    public var height = 24
    public var seedText = ""
    public var themeName = "default"
    /// Lab extras (kill/pause/resume) only for clusters `shardtop lab` started.
    public var labAddresses: Set<String> = []
    public var readOnly = false
    /// Actions the ACL user may not run (set once the preflight has answered).
    public var actionAccess = ActionAccess()
    public var status: String?
    /// How the connections are protected; `.tlsUnverified` (--insecure) keeps a warning in the header.
    public var security: ConnectionSecurity = .plaintext

    public var nodes = NodesView()
    public var slots = SlotMapView()
    public var eventFilter = TextFilter()
    /// The highlighted timeline entry (0 = newest shown); Enter jumps to its node's log.
    public var eventSelected = 0
    public var logs = LogsView()
    /// The open confirmation dialog; while set, keys go to it and nothing else.
    public var dialog: ActionDialog?
    public var operations = Operations()
    /// Where actions are journalled (shown on the help screen).
    public var journalPath = ""
    /// Set when showing a recording (`shardtop replay`): the dashboard is read-only and the
    /// header shows the recorded time instead of the wall clock.
    public var replay: ReplayStatus?

    public static let eventCap = 2000
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public init() {}

    public var isLab: Bool { !labAddresses.isEmpty }
    public var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
}

/// Shown in the header on every screen, so nobody forgets a session runs without verification.
public enum ConnectionSecurity: Sendable, Equatable {
    case plaintext
    case tls
    /// TLS without certificate verification (`--insecure`).
    case tlsUnverified
}

/// A filter being typed (after `/`) or applied.
public struct TextFilter: Sendable, Equatable {
    public var text = ""
    public var editing = false
    public init() {}

    public func matches(_ candidates: String...) -> Bool {
        guard !text.isEmpty else { return true }
        return candidates.contains { $0.localizedCaseInsensitiveContains(text) }
    }
}

/// The nodes table: sort, filter, selection and the detail view.
public struct NodesView: Sendable, Equatable {
    public var sortColumn: NodeColumn = .address
    public var ascending = true
    public var filter = TextFilter()
    public var selected = 0
    public var scroll = 0
    public var detailOpen = false
    public init() {}
}

/// Columns of the nodes table, in display order; every one is sortable.
public enum NodeColumn: Int, CaseIterable, Sendable, Equatable {
    case address, role, primary, health, slots, keys, ops, memory, cpu, clients, offset, lagBytes, lagSeconds, link, flags, version
}

/// The slot map: overlay and cursor.
public struct SlotMapView: Sendable, Equatable {
    public enum Overlay: String, CaseIterable, Sendable {
        case owner
        case keys
        case open
    }

    public var overlay: Overlay = .owner
    public var cursor = 0
    /// Keys per slot, when fetched (CLUSTER SLOT-STATS or sampled COUNTKEYSINSLOT).
    public var keysPerSlot: [Int: Int] = [:]
    /// The first slot of a range being selected with `m`.
    public var selectionAnchor: Int?
    public init() {}
}

/// Short rolling series for sparklines: cluster ops/s, and per-replica lag.
public struct History: Sendable, Equatable {
    public static let length = 120
    public var totalOps: [Double] = []
    public var opsByNode: [String: [Double]] = [:]
    public var lagBytesByNode: [String: [Double]] = [:]
    /// Memory and keys per shard with their times, for the capacity sparklines and forecasts.
    public var capacity = CapacityHistory()

    public init() {}

    public mutating func record(_ snapshot: ClusterSnapshot) {
        capacity.record(snapshot)
        append(&totalOps, Double(snapshot.nodes.filter(\.isPrimary).compactMap(\.opsPerSec).reduce(0, +)))
        for node in snapshot.nodes {
            if let ops = node.opsPerSec { append(&opsByNode[node.id, default: []], Double(ops)) }
            if node.role == .replica { append(&lagBytesByNode[node.id, default: []], Double(node.lagBytes ?? 0)) }
        }
        let live = Set(snapshot.nodes.map(\.id))
        opsByNode = opsByNode.filter { live.contains($0.key) }
        lagBytesByNode = lagBytesByNode.filter { live.contains($0.key) }
    }

    private func append(_ series: inout [Double], _ value: Double) {
        series.append(value)
        if series.count > Self.length { series.removeFirst(series.count - Self.length) }
    }
}
