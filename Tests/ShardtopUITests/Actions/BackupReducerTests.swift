import ShardtopCore
import Testing
@testable import ShardtopUI

/// `b` in the dashboard: a confirmation held as state, then the backup in flight on the
/// operations bar (a bar of finished shards, failures counted), and the outcome journalled.
@Suite struct BackupReducerTests {
    @Test func bOpensAConfirmationNamingEachShardsSaverAndEnterStartsIt() throws {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .overview)
        #expect(Reducer.handle(key: .character("b"), state: &state).isEmpty)
        guard case .backup(let dialog) = state.dialog else { Issue.record("no backup dialog: \(state.status ?? "")"); return }
        #expect(dialog.targets.count == state.snapshot?.shards.count)
        #expect(dialog.targets.allSatisfy { $0.node?.role == .replica })
        let content = DialogContent.make(.backup(dialog), state: state)
        #expect(content.title.hasPrefix("Back up"))
        #expect(content.lines.contains { $0.text.contains("(replica)") })

        let effects = Reducer.handle(key: .enter, state: &state)
        #expect(state.dialog == nil)
        #expect(effects.contains(.startBackup(dialog.targets)))
        #expect(effects.contains { if case .journal(let draft) = $0 { draft.action == "backup" && draft.outcome == .started } else { false } })
        let run = try #require(state.operations.backup)
        #expect(run.progress.shards.count == dialog.targets.count)
        #expect(state.operations.isBusy)
        // One operation at a time: a migration key now says why it is off.
        #expect(Bindings.acting(state) == "a backup is running")
    }

    @Test func escapeSendsNothing() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .overview)
        _ = Reducer.handle(key: .character("b"), state: &state)
        #expect(Reducer.handle(key: .escape, state: &state).isEmpty)
        #expect(state.dialog == nil)
        #expect(state.operations.backup == nil)
    }

    @Test func progressShowsOnTheOperationsBarAndTheEndIsJournalled() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .overview)
        _ = Reducer.handle(key: .character("b"), state: &state)
        _ = Reducer.handle(key: .enter, state: &state)
        var progress = state.operations.backup!.progress
        progress.shards[0].phase = .done(seconds: 1)
        progress.shards[1].phase = .failed("BGSAVE refused: busy")
        progress.shards[2].phase = .saving(seconds: 2)
        _ = Reducer.reduce(&state, .backupProgress(progress))
        let bar = OperationsBar.lines(state).first { $0.0.hasPrefix("backup") }
        #expect(bar?.0.contains("2/3 shards, 1 FAILED") == true, "\(bar?.0 ?? "none")")
        #expect(bar?.0.contains("saving 2.0 s") == true, "\(bar?.0 ?? "none")")
        #expect(bar?.1 == .warning)
        let effects = Reducer.reduce(&state, .backupFinished("backup INCOMPLETE (1 of 3 shards failed)", succeeded: false))
        #expect(state.operations.backup == nil)
        #expect(state.status == "backup INCOMPLETE (1 of 3 shards failed)")
        #expect(effects.contains { if case .journal(let draft) = $0 { draft.outcome == .failed } else { false } })
    }

    @Test func readOnlyDisablesTheKey() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .overview)
        state.readOnly = true
        _ = Reducer.handle(key: .character("b"), state: &state)
        #expect(state.dialog == nil)
    }
}
