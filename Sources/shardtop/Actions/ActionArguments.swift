import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopApp
import ShardtopRedis

/// Options every headless action command shares.
struct ActionArguments: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Act without asking (for scripts). Typed confirmations are taken as given.")
    var yes = false

    @Flag(help: "Refuse to act: the same switch as the dashboard's --read-only, for shared runbooks.")
    var readOnly = false

    @Option(help: ArgumentHelp("Action journal (JSON lines). Default: $XDG_STATE_HOME/shardtop/actions.jsonl.", valueName: "path"))
    var journal: String?

    var journalPath: String { journal ?? ActionJournal.defaultPath() }
}

/// Options for commands that move slots.
struct MigrationArguments: ParsableArguments {
    @Option(help: ArgumentHelp("auto (atomic when both nodes support it, else legacy; the plan says which), legacy, or atomic.", valueName: "path"))
    var path: PathChoice = .auto

    @Option(help: ArgumentHelp("Keys per GETKEYSINSLOT/MIGRATE batch (legacy path).", valueName: "n"))
    var batch: Int = 1000

    @Option(help: ArgumentHelp("Slots opened and finalised together (legacy path). Default: enough for about 10,000 keys a round, 16 to 256.", valueName: "n"))
    var slotsPerRound: Int?

    @Option(help: ArgumentHelp("Slots per CLUSTER MIGRATESLOTS job (atomic path): each job has a fixed cost on the server; smaller jobs give finer progress and a smaller rollback on cancel.", valueName: "n"))
    var atomicSlotsPerJob: Int = MigrationSettings().atomicSlotsPerJob

    @Option(help: ArgumentHelp("MIGRATE timeout in milliseconds.", valueName: "ms"))
    var migrateTimeout: Int = 5000

    @Flag(help: "On BUSYKEY with different values, overwrite the target's keys (default: stop and name them).")
    var replace = false

    func validate() throws {
        try NumericOption.check(batch, "--batch", 1...100_000, unit: "keys")
        if let slotsPerRound { try NumericOption.check(slotsPerRound, "--slots-per-round", 1...hashSlotCount) }
        try NumericOption.check(atomicSlotsPerJob, "--atomic-slots-per-job", 1...hashSlotCount)
        try NumericOption.check(migrateTimeout, "--migrate-timeout", 1...600_000, unit: "ms")
    }

    var settings: MigrationSettings {
        MigrationSettings(slotsPerRound: slotsPerRound, batchKeys: batch, migrateTimeoutMillis: migrateTimeout, replaceConflicts: replace,
                          atomicSlotsPerJob: atomicSlotsPerJob)
    }

    typealias PathChoice = MigrationPathChoice
}

extension ActionSession {
    /// Refuses --read-only before anything connects, resolves the seeds (`fallbackSeeds`, e.g. the
    /// --to node, when none is given), then opens the session.
    static func open(_ connection: ConnectionArguments, _ action: ActionArguments, fallbackSeeds: [String], verb: String) async throws -> ActionSession {
        if action.readOnly {
            throw fail("--read-only: refusing to \(verb)", code: ExitStatus.problemsFound)
        }
        var connection = connection
        if connection.seeds.isEmpty { connection.seeds = fallbackSeeds }
        let (seeds, options) = try connection.resolve()
        return try await ActionSession.open(seeds: seeds, options: options, lagThresholds: connection.lagThresholds,
                                            journalPath: action.journalPath, assumeYes: action.yes)
    }
}

extension MigrationPathChoice: ExpressibleByArgument {}
