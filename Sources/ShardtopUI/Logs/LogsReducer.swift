import Foundation
import ShardtopCore

/// Log lines arriving, the logs screen's keys, and the jump from a timeline entry to its lines.
enum LogsReducer {
    static func arrived(_ nodeId: String, lines: [LogLine], source: String, status: String, restarted: Bool, _ state: inout AppState) {
        var log = state.logs.byNode[nodeId] ?? NodeLog()
        let newestBefore = log.lines.last?.time
        if restarted { log.lines = [] }
        log.lines += lines
        if log.lines.count > LogsView.cap { log.lines.removeFirst(log.lines.count - LogsView.cap) }
        log.source = source
        log.status = status
        state.logs.byNode[nodeId] = log
        // Recognised lines join the timeline once: a restarted source re-reads its tail, so only
        // lines newer than what was already seen become events.
        let fresh = lines.filter { line in
            guard let time = line.time else { return false }
            return newestBefore.map { time > $0 } ?? true
        }
        let events = fresh.compactMap { LogsModel.event($0, nodeId: nodeId) }
        if !events.isEmpty { Reducer.insertByTime(&state, events) }
        // Following: the view stays at the newest line unless the operator scrolled up.
        if state.logs.scroll > 0, state.screen == .logs { state.logs.scroll += lines.count }
    }

    static func scroll(_ state: inout AppState, _ action: Action) {
        let count = LogsModel.rows(state).count
        let page = max(1, state.height - 6)
        var scroll = state.logs.scroll
        switch action {
        case .moveUp: scroll += 1
        case .moveDown: scroll -= 1
        case .pageUp: scroll += page
        case .pageDown: scroll -= page
        case .jumpTop: scroll = count
        case .jumpBottom: scroll = 0
        default: break
        }
        state.logs.scroll = max(0, min(scroll, max(0, count - 1)))
    }

    static func cycleLevel(_ state: inout AppState) {
        let order: [LogLevel?] = [nil, .verbose, .notice, .warning]
        let index = order.firstIndex { $0 == state.logs.minimumLevel } ?? 0
        state.logs.minimumLevel = order[(index + 1) % order.count]
        state.logs.scroll = 0
        state.status = "log level: " + (state.logs.minimumLevel.map { "\($0) and above" } ?? "all")
    }

    /// Enter on a timeline entry: the logs screen on its node, scrolled so its moment is mid-screen.
    static func jumpToEvent(_ state: inout AppState) {
        let events = EventsScreen.filtered(state)
        guard !events.isEmpty else { return }
        let event = events[min(state.eventSelected, events.count - 1)]
        guard let nodeId = event.node else {
            state.status = "this entry is about the whole cluster; its log lines are on each node (a shows all merged)"
            return
        }
        let rows = NodesScreenModel.rows(state)
        guard let index = rows.firstIndex(where: { $0.id == nodeId }) else {
            state.status = "that node is no longer in the cluster view"
            return
        }
        state.nodes.selected = index
        state.screen = .logs
        state.logs.merged = false
        state.logs.search = TextFilter()
        let lines = LogsModel.rows(state)
        let at = lines.firstIndex { ($0.line.time?.timeIntervalSince1970 ?? 0) >= event.time - 0.0005 } ?? lines.count - 1
        let visible = max(1, state.height - 6)
        state.logs.scroll = max(0, lines.count - 1 - at - visible / 2)
        state.status = lines.isEmpty ? "no log lines for \(rows[index].address) yet" : "log of \(rows[index].address) around \(Format.clock(event.time))"
    }
}
