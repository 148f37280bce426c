import Foundation
import Testing
import ShardtopCore

/// Prints how long one assembly takes, before and after the optimisation; asserts nothing about time.
/// Opt-in (SHARDTOP_TIMING=1): the 1000-node case takes over a minute in a debug build.
/// Debug numbers are what `swift test` gives; for release numbers run
/// `swift test -c release --scratch-path .build-core --filter SnapshotAssemblerTimingTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SHARDTOP_TIMING"] == "1"))
struct SnapshotAssemblerTimingTests {
    @Test(arguments: [(15, 1), (500, 1)])
    func perCallTimeOldVersusNew(primaries: Int, replicas: Int) {
        var rng = SeededGenerator(seed: 42)
        let cluster = RandomCluster(primaries: primaries, replicasPerPrimary: replicas...replicas, chaos: false, rng: &rng)
        let first = cluster.reports(time: 1000, chaos: false, rng: &rng)
        let reports = cluster.reports(time: 1001, chaos: false, rng: &rng)
        let previous = SnapshotAssembler.assemble(reports: first, previous: nil, now: 1000)

        let old = Self.perCall { ReferenceSnapshotAssembler.assemble(reports: reports, previous: previous, now: 1001) }
        let new = Self.perCall { SnapshotAssembler.assemble(reports: reports, previous: previous, now: 1001) }
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        print("""
            [timing] SnapshotAssembler.assemble, \(cluster.members.count) nodes (\(build)): \
            old \(Self.format(old)) ms/call, new \(Self.format(new)) ms/call, \(Self.format(old / max(new, 1e-9)))x
            """)
        #expect(SnapshotAssemblerEquivalenceTests.difference(
            ReferenceSnapshotAssembler.assemble(reports: reports, previous: previous, now: 1001),
            SnapshotAssembler.assemble(reports: reports, previous: previous, now: 1001)
        ) == nil)
    }

    /// Milliseconds per call: the best of up to five batches of at least ~0.1 s each, within ~2 s.
    static func perCall(_ body: () -> ClusterSnapshot) -> Double {
        let clock = ContinuousClock()
        var sink = 0
        var best = Double.infinity
        var iterations = 1
        var batches = 0
        var spent = 0.0
        while batches < 5 && (batches == 0 || spent < 2) {
            let elapsed = clock.measure {
                for _ in 0..<iterations { sink &+= body().nodes.count }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            spent += seconds
            if seconds < 0.1 && iterations < 1_000_000 {
                iterations *= 2
                continue
            }
            best = min(best, seconds / Double(iterations) * 1000)
            batches += 1
        }
        if sink == 42 { print("") }
        return best
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return "\(rounded)"
    }
}
