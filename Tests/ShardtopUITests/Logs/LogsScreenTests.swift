import Foundation
import ShardtopCore
import Testing
@testable import ShardtopUI

/// The logs screen and the incident timeline: lines in, events out once, merged by time,
/// filtered, and the jump from a timeline entry to the lines around it.
@Suite struct LogsScreenTests {
    let parser = LogLineParser()

    /// Lines in the real redis 7.0.15 format (as captured in ShardtopCoreTests' fixtures).
    func lines(_ texts: [String]) -> [LogLine] { texts.map { parser.parse($0) } }

    var replicaLog: [LogLine] {
        lines([
            "2051:S 22 Nov 2026 11:06:31.100 * MASTER <-> REPLICA sync: Finished with success",
            "2051:S 22 Nov 2026 11:06:38.200 # Manual failover user request accepted.",
            "2051:S 22 Nov 2026 11:06:38.300 # Starting a failover election for epoch 9.",
            "2051:S 22 Nov 2026 11:06:38.310 - Client closed connection",
            "2051:S 22 Nov 2026 11:06:38.320 # Failover election won: I'm the new master.",
            "2051:M 22 Nov 2026 11:06:38.330 * configEpoch set to 9 after successful failover",
        ])
    }

    var primaryLog: [LogLine] {
        lines([
            "2040:M 22 Nov 2026 11:06:30.000 * Ready to accept connections",
            "2040:M 22 Nov 2026 11:06:38.250 * Manual failover requested by replica 81c1196e.",
            "2040:S 22 Nov 2026 11:06:38.400 # Configuration change detected. Reconfiguring myself as a replica of 81c1196eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ])
    }

    func state(width: Int = 100, height: Int = 30) -> (AppState, replica: SnapshotNode, primary: SnapshotNode) {
        var state = ScreenFixtures.healthy(width: width, height: height, screen: .nodes)
        let rows = NodesScreenModel.rows(state)
        let replica = rows.first { $0.role == .replica }!
        let primary = rows.first { $0.id == replica.primaryId }!
        _ = Reducer.reduce(&state, .logLines(nodeId: replica.id, lines: replicaLog, source: "file /var/lib/redis/7003.log", status: "following", restarted: false))
        _ = Reducer.reduce(&state, .logLines(nodeId: primary.id, lines: primaryLog, source: "file /var/lib/redis/7000.log", status: "following", restarted: false))
        state.nodes.selected = rows.firstIndex { $0.id == replica.id }!
        return (state, replica, primary)
    }

    @Test func recognisedLinesJoinTheTimelineOnceInTimeOrder() {
        var (state, replica, _) = state()
        let logEvents = state.events.filter { $0.kind == .log }
        #expect(logEvents.map(\.message) == [
            "log: manual failover accepted", "log: failover election started (epoch 9)",
            "log: failover election won", "log: now a replica of 81c1196e",
        ])
        #expect(logEvents.map(\.time) == logEvents.map(\.time).sorted())
        #expect(state.events.map(\.time) == state.events.map(\.time).sorted())
        // A restarted source re-reads its tail: nothing is added twice.
        _ = Reducer.reduce(&state, .logLines(nodeId: replica.id, lines: replicaLog, source: "file", status: "following", restarted: true))
        #expect(state.events.filter { $0.kind == .log }.count == 4)
        #expect(state.logs.byNode[replica.id]?.lines.count == replicaLog.count)
    }

    @Test func mergedViewInterleavesByTimeAndLevelFilterKeepsRecognisedLines() {
        var (state, _, primary) = state()
        state.screen = .logs
        _ = Reducer.handle(key: .character("a"), state: &state)
        let merged = LogsModel.rows(state)
        #expect(merged.count == 9)
        #expect(merged.compactMap(\.line.time) == merged.compactMap(\.line.time).sorted())
        #expect(merged.first?.nodeId == primary.id)
        _ = Reducer.handle(key: .character("L"), state: &state)  // verbose+
        _ = Reducer.handle(key: .character("L"), state: &state)  // notice+
        #expect(!LogsModel.rows(state).contains { $0.line.message.contains("Client closed") })
        _ = Reducer.handle(key: .character("L"), state: &state)  // warning+ (and recognised lines)
        #expect(LogsModel.rows(state).allSatisfy { $0.line.level == .warning || $0.line.event != nil })
    }

    @Test func searchFiltersAndEscClears() {
        var (state, _, _) = state()
        state.screen = .logs
        for key: Key in [.character("/"), .character("e"), .character("l"), .character("e"), .character("c"), .enter] {
            _ = Reducer.handle(key: key, state: &state)
        }
        #expect(LogsModel.rows(state).count == 2)
        _ = Reducer.handle(key: .escape, state: &state)
        #expect(LogsModel.rows(state).count == replicaLog.count)
    }

    @Test func enterOnATimelineEntryJumpsToItsNodesLog() {
        var (state, replica, _) = state()
        state.screen = .events
        let events = EventsScreen.filtered(state)
        state.eventSelected = events.firstIndex { $0.message == "log: failover election won" }!
        _ = Reducer.handle(key: .enter, state: &state)
        #expect(state.screen == .logs)
        #expect(NodesScreenModel.selectedNode(state)?.id == replica.id)
        #expect(state.status?.contains("around") == true)
        let rows = LogsModel.rows(state)
        let end = rows.count - state.logs.scroll
        let visible = rows[max(0, end - (state.height - 4))..<end]
        #expect(visible.contains { $0.line.event == .failoverElectionWon })
    }

    @Test func logsScreensAsRecordedText() {
        var (state, _, _) = state(width: 100, height: 20)
        state.screen = .logs
        assertScreen(DashboardRenderer.render(state), named: "logs-replica-failover-100x20")
        _ = Reducer.handle(key: .character("a"), state: &state)
        assertScreen(DashboardRenderer.render(state), named: "logs-merged-100x20")
        state.screen = .events
        assertScreen(DashboardRenderer.render(state), named: "events-timeline-with-logs-100x20")
    }

    @Test func anExitedCommandSourceSaysSoAndOffersRestart() {
        var (state, replica, _) = state(width: 100, height: 20)
        state.screen = .logs
        _ = Reducer.reduce(&state, .logLines(nodeId: replica.id, lines: [], source: "command tail -n 5 /x", status: "log command exited with status 1", restarted: false))
        let text = DashboardRenderer.render(state).lines.joined(separator: "\n")
        #expect(text.contains("log command exited with status 1: R restarts it"))
        #expect(Reducer.handle(key: .character("R"), state: &state) == [.restartLog(nodeId: replica.id)])
    }
}
