import Testing
import ShardtopCore

@Suite struct CapacityForecastTests {
    /// A series growing `rate` bytes a second from `start`, one sample a second, with a fixed
    /// zig-zag of `noise` bytes so the fit has residuals.
    func series(count: Int, start: Int64 = 1_000_000, rate: Double, noise: Int64 = 0, max: Int64 = 10_000_000) -> [CapacitySample] {
        (0..<count).map { i in
            let wobble = i % 2 == 0 ? noise : -noise
            return CapacitySample(time: 1000 + Double(i), usedMemory: start + Int64(rate * Double(i)) + wobble, keys: Int64(i * 10), maxMemory: max)
        }
    }

    @Test func steadyGrowthGivesATimeToFillWithARange() throws {
        let forecast = CapacityForecast(samples: series(count: 60, rate: 10_000, noise: 5_000))
        let memory = try #require(forecast.memory)
        #expect(abs(memory.perSecond - 10_000) < 500)
        #expect(memory.low < memory.perSecond && memory.perSecond < memory.high)
        #expect(abs((forecast.keys?.perSecond ?? 0) - 10) < 0.01)
        guard case .fills(let seconds, let soonest, let latest) = forecast.fill else {
            Issue.record("expected a fill time, got \(forecast.fill)")
            return
        }
        // 10 MB - (1 MB + 59 * 10 kB) = 8.41 MB left at 10 kB/s: about 841 s.
        #expect(abs(seconds - 841) < 50)
        #expect(soonest < seconds)
        #expect(try #require(latest) > seconds)
        #expect(forecast.confidentFillSeconds == seconds)
    }

    @Test func theForecastShrinksAsMemoryApproachesTheLimit() throws {
        let all = series(count: 300, rate: 20_000, noise: 2_000)
        var previous = Double.infinity
        for end in stride(from: 30, through: 300, by: 30) {
            let seconds = try #require(CapacityForecast(samples: Array(all.prefix(end))).confidentFillSeconds)
            #expect(seconds < previous)
            previous = seconds
        }
    }

    @Test func notEnoughHistory() {
        let few = CapacityForecast(samples: series(count: 9, rate: 1000))
        #expect(few.fill == .notEnoughHistory(samples: 9, seconds: 8))
        #expect(few.memory == nil)
        // Ten samples within 20 s are still too short a span.
        let quick = (0..<15).map { CapacitySample(time: Double($0) * 0.5, usedMemory: Int64($0) * 1000, keys: 0, maxMemory: 1 << 30) }
        #expect(CapacityForecast(samples: quick).fill == .notEnoughHistory(samples: 15, seconds: 7))
        #expect(CapacityForecast(samples: []).fill == .notEnoughHistory(samples: 0, seconds: 0))
    }

    @Test func limitsAndFlatSeries() {
        #expect(CapacityForecast(samples: series(count: 30, rate: 1000, max: 0)).fill == .noLimit)
        #expect(CapacityForecast(samples: series(count: 30, start: 10_000_000, rate: 0)).fill == .atLimit)
        #expect(CapacityForecast(samples: series(count: 30, rate: 0, noise: 1000)).fill == .notGrowing)
        #expect(CapacityForecast(samples: series(count: 30, rate: -500, noise: 10)).fill == .notGrowing)
        // Growth buried in noise: a central time, but no upper bound, and no confident fill.
        let noisy = CapacityForecast(samples: series(count: 30, rate: 3000, noise: 200_000))
        if case .fills(_, _, let latest) = noisy.fill { #expect(latest == nil) } else { Issue.record("got \(noisy.fill)") }
        #expect(noisy.confidentFillSeconds == nil)
    }

    @Test func aNewLimitStartsANewSeries() {
        var samples = series(count: 40, rate: -1000, max: 50_000_000)
        samples += series(count: 30, start: 1_000_000, rate: 10_000, max: 4_000_000).map {
            CapacitySample(time: $0.time + 40, usedMemory: $0.usedMemory, keys: $0.keys, maxMemory: $0.maxMemory)
        }
        let forecast = CapacityForecast(samples: samples)
        #expect(abs((forecast.memory?.perSecond ?? 0) - 10_000) < 1)
    }

    @Test func historyFollowsTheShardAcrossAFailover() {
        let cluster = FakeCluster.threeByOne()
        var history = CapacityHistory()
        var snapshot = SnapshotAssembler.assemble(reports: cluster.reports(time: 100), previous: nil, now: 100)
        history.record(snapshot)
        snapshot = SnapshotAssembler.assemble(reports: cluster.reports(time: 101), previous: snapshot, now: 101)
        history.record(snapshot)
        // The same poll again (a primary that did not answer keeps its lastSeen): no new sample.
        history.record(snapshot)
        #expect(history.samples(shard: "a".padded).count == 2)

        var flipped = cluster
        flipped.members[0].role = .replica
        flipped.members[0].primary = "d".padded
        flipped.members[3].role = .primary
        flipped.members[3].primary = nil
        (flipped.members[0].slots, flipped.members[3].slots) = (flipped.members[3].slots, flipped.members[0].slots)
        snapshot = SnapshotAssembler.assemble(reports: flipped.reports(time: 102), previous: snapshot, now: 102)
        history.record(snapshot)
        #expect(history.samples(shard: "d".padded).count == 3)
        #expect(history.samples(shard: "a".padded).isEmpty)
    }
}
