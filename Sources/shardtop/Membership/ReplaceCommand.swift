import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct ReplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace",
        abstract: "Replace a dead node: add a new node as a replica where it is missing, then forget the dead one.",
        discussion: """
        DEAD must be a ghost (see `shardtop forget --help`): a paused or hung node is refused. NEW \
        joins as a replica of DEAD's primary (a dead replica), or, for a dead primary whose shard \
        failed over, of the serving primary with the fewest healthy replicas. NEW passes the same \
        preflight as `add-node --replica-of`. Once its first sync is done, DEAD is forgotten on \
        every live node (NEW included) within the 60 s ban window.

        Examples:
          shardtop replace 10.0.0.7:6379 10.0.0.12:6379 10.0.0.5:6379
          shardtop replace 3fe1c2 10.0.0.12:6379 10.0.0.5:6379 --yes

        Exit status: 0 replaced, 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Argument(help: ArgumentHelp("The dead node (host:port or node id).", valueName: "dead"))
    var dead: String

    @Argument(help: ArgumentHelp("The new, empty node (host:port).", valueName: "new"))
    var newNode: String

    @Flag(help: "Print the plan and exit.")
    var dryRun = false

    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments


    func validate() throws {
        if connection.seeds.isEmpty && connection.context == nil {
            throw ValidationError("give a SEED after the new node: a live member of the cluster")
        }
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "replace a node")
        try await HeadlessReplace(dead: dead, newNode: newNode, dryRun: dryRun).run(session: session)
    }
}
