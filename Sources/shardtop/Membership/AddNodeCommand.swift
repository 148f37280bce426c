import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct AddNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-node",
        abstract: "Add an empty node to the cluster, as a primary or as a replica of a primary.",
        discussion: """
        Preflight on the new node, before anything is sent: it answers, is cluster-enabled, holds no \
        key and no slot, knows no other node, runs the cluster's server at a compatible version, and \
        (with --replica-of) has maxmemory for a full copy of its primary. Then CLUSTER MEET through \
        a member, a wait until every node knows it, and CLUSTER REPLICATE when asked (followed until \
        its first sync is done). A new primary is offered a rebalance onto it (the rebalance planner \
        and the migration engine); --rebalance runs it without asking.

        Examples:
          # an empty primary
          shardtop add-node 10.0.0.9:6379 10.0.0.5:6379
          shardtop add-node 10.0.0.9:6379 10.0.0.5:6379 --rebalance --yes
          shardtop add-node 10.0.0.10:6379 10.0.0.5:6379 --replica-of 10.0.0.9:6379

        Exit status: 0 added, 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Argument(help: ArgumentHelp("The new node (host:port).", valueName: "new"))
    var newNode: String

    @Option(help: ArgumentHelp("Make it a replica of this primary (host:port or node id).", valueName: "node"))
    var replicaOf: String?

    @Flag(help: "Add it as an empty primary (the default).")
    var primary = false

    @Flag(help: "Once a new primary has joined, rebalance slots onto it without asking.")
    var rebalance = false

    @Flag(help: "Print the plan and exit.")
    var dryRun = false

    @OptionGroup var migration: MigrationArguments
    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments


    func validate() throws {
        if primary && replicaOf != nil { throw ValidationError("--primary and --replica-of exclude each other") }
        if rebalance && replicaOf != nil { throw ValidationError("--rebalance is for a new primary, not with --replica-of") }
        if connection.seeds.isEmpty && connection.context == nil {
            throw ValidationError("give a SEED after the new node: any member of the cluster to add it to")
        }
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "add a node")
        try await HeadlessAddNode(newNode: newNode, replicaOf: replicaOf, rebalance: rebalance, dryRun: dryRun, path: migration.path, settings: migration.settings).run(session: session)
    }
}
