/// The binding table. Add a key here and it appears in the footer, on the help screen and in the
/// README (a test fails when the README table is stale).
public enum Bindings {
    static let labOnly: @Sendable (AppState) -> String? = { state in
        if state.readOnly { return "read-only mode" }
        if !state.isLab { return "only for nodes started by `shardtop lab`" }
        guard let node = NodesScreenModel.selectedNode(state) else { return "no node selected" }
        return state.labAddresses.contains(node.address.description) ? nil : "\(node.address) was not started by this lab"
    }

    static let acting: @Sendable (AppState) -> String? = { state in
        if state.replay != nil { return "read-only: this is a replay of a recording" }
        if state.readOnly { return ActionReducer.readOnlyReason }
        // One operation at a time: a second migration could re-plan slots the first has not moved
        // yet, and a failover mid-migration loses the source's MIGRATING state (redis 7.0).
        if state.operations.migration != nil { return "a migration is running (X cancels it)" }
        if let membership = state.operations.membership { return "\(membership.summary) is running" }
        // A backup's manifest holds one slot map: slots moving under it would not match the files.
        return state.operations.backup != nil ? "a backup is running" : nil
    }

    /// Acting, and the ACL user may run what the action sends (ActionAccess).
    static let failingOver: @Sendable (AppState) -> String? = { state in acting(state) ?? state.actionAccess.failover }
    static let moving: @Sendable (AppState) -> String? = { state in acting(state) ?? state.actionAccess.migration }
    static let changingMembership: @Sendable (AppState) -> String? = { state in acting(state) ?? state.actionAccess.membership }

    /// `N`: a new lab server can only be started by `shardtop lab`.
    static let labAdding: @Sendable (AppState) -> String? = { state in
        changingMembership(state) ?? (state.isLab ? nil : "only in a lab (`shardtop lab`); A adds a running node by address")
    }

    static let liveOnly: @Sendable (AppState) -> String? = { state in
        state.replay != nil ? "a replay shows recorded lines only" : nil
    }

    static let migrating: @Sendable (AppState) -> String? = { state in
        if state.readOnly { return ActionReducer.readOnlyReason }
        return state.operations.migration == nil ? "no migration is running" : nil
    }

    static let replaying: @Sendable (AppState) -> String? = { state in
        state.replay == nil ? "only when replaying a recording (`shardtop replay FILE`)" : nil
    }

    public static let all: [Binding] = [
        Binding([.character("q")], label: "quit", help: "Quit shardtop (the terminal is restored).", action: .quit, inFooter: true),
        Binding([.character("?"), .function(1)], label: "help", help: "Show or hide this help.", action: .toggleHelp, inFooter: true),
        Binding([.character("1")], label: "overview", help: "Overview: health banner, one line per shard, totals.", action: .showScreen(.overview)),
        Binding([.character("2")], label: "nodes", help: "Nodes: every node, sortable and filterable.", action: .showScreen(.nodes)),
        Binding([.character("3")], label: "slots", help: "Slot map: all 16384 slots coloured by owner.", action: .showScreen(.slots)),
        Binding([.character("4")], label: "replication", help: "Replication: link state and lag per replica.", action: .showScreen(.replication)),
        Binding([.character("5")], label: "balance", help: "Balance: slots, keys, memory and ops/s per primary.", action: .showScreen(.balance)),
        Binding([.character("6")], label: "events", help: "Events: the incident timeline (cluster changes, log lines, actions).", action: .showScreen(.events)),
        Binding([.character("7")], label: "logs", help: "Logs: the selected node's own log, or all nodes merged.", action: .showScreen(.logs)),
        Binding([.character("8")], label: "capacity", help: "Capacity: memory vs maxmemory with a fill forecast, evictions, RDB and AOF per node.", action: .showScreen(.capacity)),
        Binding([.tab], label: "next", help: "Next screen.", action: .nextScreen, inFooter: true),
        Binding([.backTab], label: "previous", help: "Previous screen.", action: .previousScreen),
        Binding([.character("p")], label: "pause", help: "Pause or resume refreshing.", action: .togglePause, inFooter: true),
        Binding([.character("+")], label: "slower", help: "Poll less often (longer interval).", action: .slower),
        Binding([.character("-")], label: "faster", help: "Poll more often (shorter interval).", action: .faster),
        Binding([.character("t")], label: "theme", help: "Cycle colour themes.", action: .cycleTheme),
        Binding([.up, .character("k")], label: "up", help: "Move up.", action: .moveUp),
        Binding([.down, .character("j")], label: "down", help: "Move down.", action: .moveDown),
        Binding([.left, .character("h")], label: "left", help: "Move left.", action: .moveLeft),
        Binding([.right, .character("l")], label: "right", help: "Move right.", action: .moveRight),
        Binding([.pageUp], label: "page up", help: "Move one page up.", action: .pageUp),
        Binding([.pageDown], label: "page down", help: "Move one page down.", action: .pageDown),
        Binding([.home, .character("g")], label: "top", help: "Jump to the first row.", action: .jumpTop),
        Binding([.end, .character("G")], label: "bottom", help: "Jump to the last row.", action: .jumpBottom),
        Binding([.character("s")], scope: .screen(.nodes), label: "sort", help: "Sort by the next column.", action: .nextSortColumn, inFooter: true),
        Binding([.character("r")], scope: .screen(.nodes), label: "reverse", help: "Reverse the sort order.", action: .reverseSort),
        Binding([.character("/")], scope: .screen(.nodes), label: "filter", help: "Filter nodes by text (address, id, role, health).", action: .startFilter, inFooter: true),
        Binding([.enter], scope: .screen(.nodes), label: "detail", help: "Show everything about the selected node.", action: .openDetail, inFooter: true),
        Binding([.escape], scope: .screen(.nodes), label: "back", help: "Close the detail view or clear the filter.", action: .back),
        Binding([.character("o")], scope: .screen(.slots), label: "overlay", help: "Cycle the overlay: owner, keys per slot, open slots.", action: .cycleOverlay, inFooter: true),
        Binding([.character("/")], scope: .screen(.events), label: "filter", help: "Filter events by text (node, kind, message).", action: .startFilter, inFooter: true),
        Binding([.escape], scope: .screen(.events), label: "clear", help: "Clear the event filter.", action: .back),
        Binding([.enter], scope: .screen(.events), label: "to log", help: "Jump to the log lines around the highlighted entry, on its node.", action: .jumpToLog, inFooter: true),
        Binding([.character("/")], scope: .screen(.logs), label: "search", help: "Search the log lines shown.", action: .startFilter, inFooter: true),
        Binding([.escape], scope: .screen(.logs), label: "clear", help: "Clear the log search.", action: .back),
        Binding([.character("a")], scope: .screen(.logs), label: "all nodes", help: "Toggle between the selected node's log and all nodes merged by time.", action: .toggleMergedLogs, inFooter: true),
        Binding([.character("L")], scope: .screen(.logs), label: "level", help: "Cycle the lowest level shown: all, verbose, notice, warning.", action: .cycleLogLevel, inFooter: true),
        Binding([.character("R")], scope: .screen(.logs), label: "restart", help: "Restart the selected node's log source (e.g. after its command exited).", action: .restartLog, inFooter: true, disabledReason: liveOnly),
        Binding([.character("K")], scope: .screen(.nodes), label: "lab kill", help: "Lab only: SIGKILL the selected node.", danger: .destructive, action: .labKill, inFooter: true, disabledReason: labOnly),
        Binding([.character("Z")], scope: .screen(.nodes), label: "lab pause", help: "Lab only: SIGSTOP the selected node (it hangs, like a frozen host).", danger: .destructive, action: .labPause, inFooter: true, disabledReason: labOnly),
        Binding([.character("F")], scope: .screen(.nodes), label: "failover", help: "Fail over to the selected replica (on a primary: its most up-to-date replica), after a preflight.", danger: .destructive, action: .failover, inFooter: true, disabledReason: failingOver),
        Binding([.character("M")], scope: .screen(.nodes), label: "migrate", help: "Move N slots from the selected primary to another (plan preview first).", danger: .destructive, action: .migrateFromNode, disabledReason: moving),
        Binding([.character("B")], scope: .screen(.balance), label: "rebalance", help: "Even out slots across the primaries (plan preview first; `shardtop rebalance` also balances by keys or memory, with weights).", danger: .destructive, action: .rebalance, inFooter: true, disabledReason: moving),
        Binding([.character("m")], scope: .screen(.slots), label: "select+move", help: "Mark a slot range (press at both ends), then pick a target primary to move it to.", danger: .destructive, action: .markSlots, inFooter: true, disabledReason: moving),
        Binding([.character("b")], label: "backup", help: "Back up every shard: BGSAVE on a caught-up replica (files and manifest into ./shardtop-backup-<time>), after a confirmation.", danger: .caution, action: .backup, disabledReason: acting),
        Binding([.character("P")], label: "pause move", help: "Pause or resume the running migration (between slots).", danger: .caution, action: .toggleMigrationPause, disabledReason: migrating),
        Binding([.character("X")], label: "cancel move", help: "Cancel the running migration: the slots in progress finish, none is left open.", danger: .caution, action: .cancelMigration, disabledReason: migrating),
        Binding([.character(">")], label: "replay faster", help: "Replay: play faster (1x, 2x, 5x, 10x, 30x, 60x); p pauses.", action: .replayKey(.faster), disabledReason: replaying),
        Binding([.character("<")], label: "replay slower", help: "Replay: play slower.", action: .replayKey(.slower), disabledReason: replaying),
        Binding([.character("]")], label: "seek +10s", help: "Replay: jump 10 s forward.", action: .replayKey(.seek(seconds: 10)), disabledReason: replaying),
        Binding([.character("[")], label: "seek -10s", help: "Replay: jump 10 s back.", action: .replayKey(.seek(seconds: -10)), disabledReason: replaying),
        Binding([.character("}")], label: "seek +60s", help: "Replay: jump a minute forward.", action: .replayKey(.seek(seconds: 60)), disabledReason: replaying),
        Binding([.character("{")], label: "seek -60s", help: "Replay: jump a minute back.", action: .replayKey(.seek(seconds: -60)), disabledReason: replaying),
        Binding([.character("A")], scope: .screen(.nodes), label: "add node", help: "Add a running, empty node by address, as an empty primary or a replica of the selected primary (Tab); preflight and plan preview first.", danger: .destructive, action: .addNode, disabledReason: changingMembership),
        Binding([.character("N")], scope: .screen(.nodes), label: "lab add", help: "Lab only: start a new lab server and add it, as a replica of the selected primary or an empty primary (Tab).", danger: .destructive, action: .labAddNode, disabledReason: labAdding),
        Binding([.character("D")], scope: .screen(.nodes), label: "remove node", help: "Remove the selected node: re-home its replicas, FORGET it everywhere, reset it (a slot owner is offered a drain; the last healthy replica needs typed words).", danger: .destructive, action: .removeNode, disabledReason: changingMembership),
        Binding([.character("R")], scope: .screen(.nodes), label: "replace", help: "On a failed node's row: a new node (in a lab, a new lab server) replicates the right primary and the dead one is forgotten everywhere.", danger: .destructive, action: .replaceNode, disabledReason: changingMembership),
        Binding([.character("f")], scope: .screen(.overview), label: "forget ghosts", help: "Forget the failed nodes that own nothing (a destroyed machine), on every live node; a node any live node still sees connected is refused.", danger: .destructive, action: .forgetGhosts, disabledReason: changingMembership),
        Binding([.character("C")], scope: .screen(.nodes), label: "lab resume", help: "Lab only: SIGCONT the selected node.", danger: .caution, action: .labResume, disabledReason: labOnly),
    ]

    /// The bindings that apply on a screen, in table order.
    public static func active(on screen: ScreenID) -> [Binding] {
        all.filter { $0.applies(to: screen) }
    }

    /// The binding a key triggers on a screen; a screen binding wins over a global one.
    public static func binding(for key: Key, on screen: ScreenID) -> Binding? {
        let candidates = active(on: screen).filter { $0.keys.contains(key) }
        return candidates.first { $0.scope != .global } ?? candidates.first
    }

    /// The README's key table, generated so it cannot go stale.
    public static func markdownTable() -> String {
        var out = "| key | where | what it does |\n|---|---|---|\n"
        for binding in all {
            let keys = binding.keys.map { "`\($0.description == "|" ? "\\|" : $0.description)`" }.joined(separator: " ")
            out += "| \(keys) | \(binding.scope) | \(binding.help) |\n"
        }
        return out
    }
}
