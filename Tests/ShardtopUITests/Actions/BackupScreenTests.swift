import ShardtopCore
import Testing
@testable import ShardtopUI

/// The backup confirmation and the backup's progress on the operations bar, as recorded screens.
@Suite struct BackupScreenTests {
    @Test(arguments: [(80, 24), (120, 40)])
    func backupConfirmation(width: Int, height: Int) {
        var state = ScreenFixtures.laggingReplica(width: width, height: height, screen: .overview)
        _ = Reducer.handle(key: .character("b"), state: &state)
        assertScreen(DashboardRenderer.render(state), named: "action-backup-confirm-\(width)x\(height)")
    }

    @Test func backupProgressBar() {
        var state = ScreenFixtures.healthy(width: 100, height: 30, screen: .overview)
        _ = Reducer.handle(key: .character("b"), state: &state)
        _ = Reducer.handle(key: .enter, state: &state)
        var progress = state.operations.backup!.progress
        progress.shards[0].phase = .done(seconds: 1.4)
        progress.shards[1].phase = .saving(seconds: 3.2)
        _ = Reducer.reduce(&state, .backupProgress(progress))
        assertScreen(DashboardRenderer.render(state), named: "action-backup-progress-100x30")
    }
}
