import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Finish or roll back slots left open by an interrupted migration (by any tool).",
        discussion: """
        Finds every MIGRATING/IMPORTING slot, explains which case applies, and settles it in the \
        direction you choose: --resume finishes the move (the target owns the slot and all its \
        keys), --rollback undoes it (the source does). Either way no key is lost: keys are moved, \
        never dropped, and ownership changes only after the losing side is re-counted at zero. \
        With no slot open, ghost nodes (failed everywhere, owning nothing) are offered to \
        `shardtop forget`.

        Examples:
          shardtop fix 10.0.0.5:6379                 (explains, then asks per slot)
          shardtop fix 10.0.0.5:6379 --resume --yes
          shardtop fix 10.0.0.5:6379 --rollback

        Exit status: 0 nothing open (or all settled), 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Flag(help: "Finish every open move.")
    var resume = false

    @Flag(help: "Undo every open move.")
    var rollback = false

    @OptionGroup var migration: MigrationArguments
    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        if resume && rollback { throw ValidationError("--resume and --rollback exclude each other") }
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "fix open slots")
        try await HeadlessFix.run(direction: resume ? .resume : rollback ? .rollback : nil, settings: migration.settings, session: session)
    }
}
