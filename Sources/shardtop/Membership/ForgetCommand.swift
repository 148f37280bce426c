import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Clear ghost nodes: members every live node sees as failed, e.g. a destroyed machine.",
        discussion: """
        A ghost is a node that every live node listing it sees as fail or noaddr, that no live node \
        has a connected cluster-bus link to, that owns no slot, and that accepts no connection from \
        here. A node that is only paused or hung (SIGSTOP, a frozen VM) is refused: it would come \
        back. CLUSTER FORGET is sent to every live node within the 60 s ban window, and each is \
        re-read (and told again) until none lists the ghost.

        Examples:
          # every ghost, after a preview
          shardtop forget 10.0.0.5:6379
          shardtop forget 10.0.0.5:6379 --node 10.0.0.9:6379 --yes
          shardtop forget 10.0.0.5:6379 --node 3fe1c2

        Exit status: 0 forgotten (or no ghost), 1 refused or stopped, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Option(help: ArgumentHelp("Only this node (host:port or node id); refused unless it is a ghost.", valueName: "node"))
    var node: String?

    @Flag(help: "Print the plan and exit.")
    var dryRun = false

    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [], verb: "forget nodes")
        try await HeadlessForget(node: node, dryRun: dryRun).run(session: session)
    }
}
