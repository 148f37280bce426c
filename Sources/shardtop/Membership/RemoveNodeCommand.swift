import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct RemoveNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-node",
        abstract: "Take a live node out of the cluster: drain, re-home its replicas, forget it everywhere, reset it.",
        discussion: """
        A primary that owns slots is refused unless --drain moves them to the other primaries first \
        (the rebalance planner with this node at weight 0, through the migration engine). Its \
        replicas are re-pointed at the primaries with the fewest replicas (CLUSTER REPLICATE). Then \
        CLUSTER FORGET goes to every other node within the 60 s ban window, re-read until none lists \
        it, and CLUSTER RESET HARD on the node itself, so it cannot rejoin by gossip. --shutdown \
        also stops it. Removing the last healthy replica of a shard needs a typed confirmation \
        naming the shard. A dead node is cleared with `shardtop forget` instead.

        Examples:
          shardtop remove-node 10.0.0.9:6379 --drain
          # second address: a seed
          shardtop remove-node 10.0.0.9:6379 10.0.0.5:6379 --drain --yes
          # a replica, stopped too
          shardtop remove-node 10.0.0.10:6379 --shutdown

        Exit status: 0 removed, 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Argument(help: ArgumentHelp("The node to remove (host:port or node id).", valueName: "node"))
    var node: String

    @Flag(help: "Move its slots to the other primaries first (required for a primary that owns slots).")
    var drain = false

    @Flag(help: "Stop the node once it is out (SHUTDOWN NOSAVE).")
    var shutdown = false

    @Flag(help: "Print the plan and exit.")
    var dryRun = false

    @OptionGroup var migration: MigrationArguments
    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments


    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [node], verb: "remove a node")
        try await HeadlessRemoveNode(node: node, drain: drain, shutdown: shutdown, dryRun: dryRun, path: migration.path, settings: migration.settings).run(session: session)
    }
}
