import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move hash slots between primaries, with a plan preview and live progress.",
        discussion: """
        Either --slots A-B[,C-D...] --to NODE, or --from NODE --to NODE --count N. The plan shows the \
        slots, their keys, an estimated time, the biggest keys sampled (MEMORY USAGE) and the path: \
        atomic (CLUSTER MIGRATESLOTS, Valkey 9+) when both nodes support it, otherwise legacy, \
        with the reason. A failed atomic job stops; it never falls back silently.

        Nothing is lost: a slot is finalised only after the source is re-counted at zero keys; a \
        MIGRATE error or BUSYKEY stops with the slot left open for `shardtop fix`. Ctrl-C finishes \
        the slots in progress, then stops with no slot open.

        Examples:
          shardtop migrate --slots 0-99 --to 10.0.0.6:6379
          shardtop migrate --from 10.0.0.5:6379 --to 10.0.0.6:6379 --count 500 --yes
          shardtop migrate --slots 7000 --to 3fe1c2 --path legacy

        Exit status: 0 moved, 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("Slots to move: A-B[,C-D...].", valueName: "ranges"))
    var slots: String?

    @Option(help: ArgumentHelp("Source primary (with --count).", valueName: "node"))
    var from: String?

    @Option(help: ArgumentHelp("Target primary.", valueName: "node"))
    var to: String

    @Option(help: ArgumentHelp("Number of slots to take from --from.", valueName: "n"))
    var count: Int?

    @OptionGroup var migration: MigrationArguments
    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        // Above the source's slot count means "all of them" (scripts drain with --count 99999, and
        // the plan says how many it takes); the cap only keeps nonsense like 2^63 out.
        try NumericOption.check(count, "--count", 1...1_000_000)
        if (slots == nil) == (from == nil || count == nil) {
            throw ValidationError("give either --slots A-B --to NODE, or --from NODE --to NODE --count N")
        }
        if let slots { _ = try Self.slotList(slots) }
    }

    /// --slots parsed and merged; a bad range is refused in validate(), before anything connects.
    static func slotList(_ text: String) throws(ValidationError) -> SlotRangeList {
        do { return try SlotRangeList.parse(text) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [to], verb: "migrate slots")
        let request: HeadlessMigrate.Slots = if let slots { .list(try Self.slotList(slots)) } else { .count(from: from!, count: count!) }
        try await HeadlessMigrate.run(request, to: to, path: migration.path, settings: migration.settings, session: session)
    }
}
