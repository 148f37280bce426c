import ShardtopApp
import ArgumentParser
import ShardtopCore
import ShardtopRedis

/// Thresholds of the capacity and persistence findings, for every command that reports findings.
struct CapacityArguments: ParsableArguments {
    @Option(help: ArgumentHelp("A primary within this percent of its maxmemory (or of maxclients) is nearly full.", valueName: "pct"))
    var memoryHeadroom: Double = CapacityThresholds.default.memoryHeadroomPercent

    @Option(help: ArgumentHelp("A forecast to reach maxmemory within this many seconds is a finding (needs history: the dashboard, or check --sample).", valueName: "s"))
    var fillWithin: Double = CapacityThresholds.default.fillWithinSeconds

    @Option(help: ArgumentHelp("With RDB on and data changed, no successful save for longer than this many seconds is a finding.", valueName: "s"))
    var saveAge: Int64 = PersistenceThresholds.default.saveAgeSeconds

    var capacity: CapacityThresholds { CapacityThresholds(memoryHeadroomPercent: memoryHeadroom, fillWithinSeconds: fillWithin) }
    var persistence: PersistenceThresholds { PersistenceThresholds(saveAgeSeconds: saveAge) }

    func validate() throws {
        try NumericOption.check(memoryHeadroom, "--memory-headroom", 0...100, unit: "percent")
        // Past a year a forecast says nothing; past a year without a save, nobody means "overdue".
        try NumericOption.check(fillWithin, "--fill-within", 1...31_536_000, unit: "s")
        try NumericOption.check(saveAge, "--save-age", 1...31_536_000, unit: "s")
    }
}
