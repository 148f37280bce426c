import ShardtopCore
import Testing
@testable import ShardtopUI

/// Screen 8 and the overview's "closest to full" line, for healthy, failing-save and near-full
/// clusters, at 80x24 and 120x40.
@Suite(.serialized) struct CapacityScreenTests {
    @Test(arguments: [(80, 24), (120, 40)])
    func capacityScreens(width: Int, height: Int) {
        for fixture in CapacityScreenFixtures.all {
            let state = ScreenFixtures.sized(fixture.base, width, height, .capacity)
            assertScreen(DashboardRenderer.render(state), named: "capacity-\(fixture.name)-\(width)x\(height)")
            let overview = ScreenFixtures.sized(fixture.base, width, height, .overview)
            assertScreen(DashboardRenderer.render(overview), named: "overview-\(fixture.name)-\(width)x\(height)")
        }
    }

    @Test func nearFullShowsTheFindingsAndTheShardClosestToFull() {
        let state = ScreenFixtures.sized(CapacityScreenFixtures.nearFullBase, 120, 40, .capacity)
        let codes = Set(state.findings.map(\.code))
        #expect(codes.isSuperset(of: ["memory-near-max", "evicting"]))
        let text = DashboardRenderer.render(state).lines.joined(separator: "\n")
        #expect(text.contains("closest to full: shard 2 10.0.1.2:7001 98% of 6.0M, not growing, evicting 1200/s"))
        #expect(text.contains("allkeys-lru"))
        let overview = DashboardRenderer.render(ScreenFixtures.sized(CapacityScreenFixtures.nearFullBase, 80, 24, .overview)).lines
        #expect(overview.contains { $0.contains("closest to full: shard 2") })
    }

    @Test func failingSaveIsAnErrorOnBothScreens() {
        let state = ScreenFixtures.sized(CapacityScreenFixtures.failingSaveBase, 80, 24, .capacity)
        #expect(state.findings.first?.code == "bgsave-failed")
        let lines = DashboardRenderer.render(state).lines
        #expect(lines.contains { $0.contains("FAILED") })
        #expect(lines.contains { $0.contains("the last background save failed") })
    }

    @Test func theForecastHasARangeAfterAMinuteOfHistory() throws {
        let state = CapacityScreenFixtures.nearFullBase
        #expect(state.findings.contains { $0.code == "fill-forecast" })
        #expect(!CapacityScreenFixtures.healthyBase.findings.contains { CapacityScreen.findingCodes.contains($0.code) })
        let first = try #require(state.snapshot?.shards.first?.primaryId)
        let forecast = try #require(state.forecasts[first])
        guard case .fills(let seconds, let soonest, let latest) = forecast.fill else {
            Issue.record("expected a fill forecast, got \(forecast.fill)")
            return
        }
        // 6291456 - (1.9 MB + 59 x 20 kB) left at 20 kB/s: about 160 s.
        #expect(abs(seconds - 160) < 15)
        #expect(soonest < seconds && seconds < (latest ?? 0))
        // A shard that does not grow says so instead of a time.
        let flat = try #require(state.forecasts[state.snapshot!.shards[1].primaryId])
        #expect(flat.fill == .notGrowing)
    }
}
