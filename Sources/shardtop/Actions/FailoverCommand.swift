import ShardtopApp
import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

struct FailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Fail a primary over to a replica, showing the replica's lag first.",
        discussion: """
        NODE is a replica to promote, or a primary (its most up-to-date healthy replica is chosen). \
        The preflight shows the exact command, the replica's link and lag, whether a majority of \
        primaries can vote, and the nofailover flag. The failover is then followed until the role \
        flip shows in the cluster, or until it times out with the reason.

        --force is allowed only when the cluster holds the primary failed or suspected (or neither \
        shardtop nor the replica reach it), or a default failover of this replica failed (per the \
        journal) in the last 15 minutes; it needs a typed confirmation \
        naming the bytes that may be lost. --takeover skips the vote and is the last resort.

        Examples:
          shardtop failover 10.0.0.7:6379
          shardtop failover 10.0.0.7:6379 --force
          shardtop failover 3fe1c2 --yes          (by node id prefix, no prompt)

        Ctrl-C while it is followed returns at once and says what is still pending on the server \
        (a CLUSTER FAILOVER cannot be recalled).

        Exit status: 0 promoted, 1 refused, rejected, timed out or interrupted, 2 could not run.

        \(ExitStatus.refusalHelp)
        """
    )

    @Argument(help: ArgumentHelp("Replica to promote, or primary to replace (host:port or node id).", valueName: "node"))
    var node: String

    @Flag(help: "FORCE: no handshake with the primary (for a dead primary). May lose writes.")
    var force = false

    @Flag(help: "TAKEOVER: no vote at all. Last resort.")
    var takeover = false

    @Option(help: ArgumentHelp("Seconds to wait for the role flip.", valueName: "s"))
    var waitSeconds: Double = FailoverTracking.defaultTimeout

    @OptionGroup var action: ActionArguments
    @OptionGroup var connection: ConnectionArguments

    func validate() throws {
        if force && takeover { throw ValidationError("--force and --takeover exclude each other") }
        try NumericOption.check(waitSeconds, "--wait-seconds", 1...3600, unit: "s")
    }

    func run() async throws {
        let session = try await ActionSession.open(connection, action, fallbackSeeds: [node], verb: "fail over")
        try await HeadlessFailover.run(node: node, mode: takeover ? .takeover : force ? .force : .default, waitSeconds: waitSeconds, session: session)
    }
}
