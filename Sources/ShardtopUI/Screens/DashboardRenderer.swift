import ShardtopCore

/// Renders the whole dashboard for a state into a grid: header, tabs, the current screen, footer.
/// Pure and fast: no clock, no I/O, only the state.
public enum DashboardRenderer {
    public static func render(_ state: AppState, glyphs: Glyphs = .unicode) -> Grid {
        var grid = Grid(width: state.width, height: state.height)
        if state.tooSmall {
            drawTooSmall(&grid, state)
            return grid
        }
        drawHeader(&grid, state)
        drawTabs(&grid, state)
        let body = Rect(x: 0, y: 2, width: state.width, height: state.height - 3)
        if state.snapshot == nil {
            grid.put("connecting to \(state.seedText)\(glyphs.ellipsis)", x: 2, y: body.y + 1, role: .dim)
        } else if state.showHelp {
            HelpScreen.draw(into: &grid, area: body, state: state)
        } else {
            switch state.screen {
            case .overview: OverviewScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            case .nodes: NodesScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            case .slots: SlotMapScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            case .replication: ReplicationScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            case .balance: BalanceScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            case .events: EventsScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            case .logs: LogsScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            case .capacity: CapacityScreen.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            }
        }
        if state.snapshot != nil && !state.showHelp {
            OperationsBar.draw(into: &grid, area: body, state: state, glyphs: glyphs)
            if let dialog = state.dialog { DialogView.draw(dialog, into: &grid, area: body, state: state) }
        }
        drawFooter(&grid, state)
        return grid
    }

    static func drawTooSmall(_ grid: inout Grid, _ state: AppState) {
        let lines = [
            "terminal too small",
            "\(state.width)x\(state.height), need at least \(AppState.minimumWidth)x\(AppState.minimumHeight)",
            "enlarge the window, or press q to quit",
        ]
        let top = max(0, (state.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (state.width - line.unicodeScalars.count) / 2)
            grid.put(line, x: x, y: top + index, role: index == 0 ? .warning : .dim)
        }
    }

    static func drawHeader(_ grid: inout Grid, _ state: AppState) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, role: .title)
        var x = grid.put("shardtop", x: 0, y: 0, role: .title)
        switch state.security {
        case .plaintext: break
        case .tls: x = grid.put(" tls", x: x, y: 0, role: .title)
        // Before the seed, so even a narrow terminal keeps it.
        case .tlsUnverified: x = grid.put(" TLS UNVERIFIED (--insecure)", x: x, y: 0, role: .error)
        }
        x = grid.put("  \(state.seedText)", x: x, y: 0, role: .title)
        if let snapshot = state.snapshot {
            let answering = state.nodeTally.answering
            let stateRole: StyleRole = snapshot.state == "ok" ? .ok : .error
            x = grid.put("  cluster ", x: x, y: 0, role: .title)
            x = grid.put(snapshot.state, x: x, y: 0, role: stateRole)
            x = grid.put("  \(snapshot.nodes.count) nodes", x: x, y: 0, role: .title)
            if answering < snapshot.nodes.count {
                x = grid.put(" (\(snapshot.nodes.count - answering) unreachable)", x: x, y: 0, role: .error)
            }
        }
        var right = state.paused ? "PAUSED " : ""
        if let replay = state.replay {
            right += "REPLAY \(replay.speed)x \(Int(replay.position - replay.start))/\(Int(replay.end - replay.start))s  \(Format.clock(state.now)) UTC"
        } else {
            right += "every \(Format.seconds(state.interval))  \(Format.clock(state.now)) UTC"
        }
        let start = grid.width - right.unicodeScalars.count
        if start > x + 1 { grid.put(right, x: start, y: 0, role: state.paused ? .warning : .title) }
    }

    static func drawTabs(_ grid: inout Grid, _ state: AppState) {
        var x = 0
        // Eight full titles need 89 columns; narrower terminals get short ones, so tab 8 stays visible.
        let full = ScreenID.allCases.reduce(0) { $0 + $1.title.unicodeScalars.count + 4 } <= grid.width
        for screen in ScreenID.allCases {
            let active = screen == state.screen && !state.showHelp
            x = grid.put(" \(screen.rawValue) \(full ? screen.title : screen.shortTitle) ", x: x, y: 1, role: active ? .tabActive : .tabInactive)
        }
        if let status = state.status {
            let text = " \(status)"
            let start = max(x + 1, grid.width - text.unicodeScalars.count)
            grid.put(text, x: start, y: 1, role: .info, maxWidth: grid.width - start)
        }
    }

    static func drawFooter(_ grid: inout Grid, _ state: AppState) {
        let y = grid.height - 1
        grid.fill(x: 0, y: y, width: grid.width, height: 1, role: .footerLabel)
        var x = 0
        if state.dialog != nil {
            x = grid.put("Esc", x: 0, y: y, role: .footerKey)
            grid.put(" cancel (nothing is sent until you confirm)", x: x, y: y, role: .footerLabel)
            return
        }
        if let filter = editingFilterText(state) {
            x = grid.put("filter: ", x: 0, y: y, role: .footerKey)
            x = grid.put(filter + "_", x: x, y: y, role: .input)
            grid.put("  Enter apply  Esc clear", x: x, y: y, role: .footerLabel)
            return
        }
        for binding in Bindings.active(on: state.screen) where binding.inFooter {
            let disabled = binding.disabledReason(state) != nil
            let key = binding.keys[0].description
            let width = key.unicodeScalars.count + binding.label.unicodeScalars.count + 2
            guard x + width <= grid.width else { break }
            x = grid.put(key, x: x, y: y, role: disabled ? .footerDisabled : .footerKey)
            x = grid.put(" \(binding.label) ", x: x, y: y, role: disabled ? .footerDisabled : .footerLabel)
        }
    }

    static func editingFilterText(_ state: AppState) -> String? {
        if state.screen == .nodes && state.nodes.filter.editing { return state.nodes.filter.text }
        if state.screen == .events && state.eventFilter.editing { return state.eventFilter.text }
        if state.screen == .logs && state.logs.search.editing { return state.logs.search.text }
        return nil
    }
}

/// A rectangle of the grid a screen may draw in.
public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxY: Int { y + height }
}
