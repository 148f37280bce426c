import Foundation
import ShardtopCore

/// Sends CLUSTER FAILOVER to a replica and follows it through fresh snapshots until the role flip
/// holds, or the deadline. The reply OK only means "accepted"; a flip that holds is the success.
public enum FailoverRunner {
    /// The replica's error reply, or nil when it accepted.
    public static func send(_ mode: FailoverMode, to replica: NodeAddress, primary: NodeAddress? = nil, links: ActionLinks) async -> String? {
        do {
            // Not while another shardtop operation works on this shard (a migration from its primary).
            let lease = try await OperationLease.acquire(
                on: [replica] + (primary.map { [$0] } ?? []), verb: "failover", options: await links.connectionOptions,
                unreachableIsFine: Set(primary.map { [$0] } ?? [])
            )
            defer { lease.release() }
            let connection = try await links.connection(replica)
            let reply = try await connection.run("CLUSTER FAILOVER", [mode.command])[0]
            return reply.errorMessage.map { sanitizedForDisplay($0) }
        } catch {
            return "\(error)"
        }
    }

    /// Ticks the poller every `interval` until the tracking finishes; `observe` sees every snapshot.
    /// Once a snapshot shows the flip, each tick also asks the nodes directly (see FailoverConfirmation).
    public static func track(
        _ tracking: FailoverTracking, poller: ClusterPoller, interval: Duration = .milliseconds(100),
        observe: @Sendable (FailoverTracking, ClusterSnapshot) -> Void = { _, _ in }
    ) async -> FailoverTracking {
        var tracking = tracking
        while !tracking.phase.isFinished {
            let (snapshot, _) = await poller.tick()
            tracking.observe(snapshot)
            if tracking.flipSeen && !tracking.phase.isFinished {
                tracking.confirm(await confirmation(tracking, snapshot: snapshot) { try await poller.client(for: $0).send($1) })
            }
            observe(tracking, snapshot)
            if tracking.phase.isFinished || Task.isCancelled { break }
            try? await Task.sleep(for: interval)
        }
        return tracking
    }

    /// One direct look at the candidate and the voting primaries. A primary the snapshot found
    /// unreachable is left out rather than waited for again.
    public static func confirmation(
        _ tracking: FailoverTracking, snapshot: ClusterSnapshot, send: @escaping FailoverConfirmationProbe.Send
    ) async -> FailoverConfirmation {
        let voters = (tracking.electorate ?? []).compactMap { id in
            snapshot.node(id: id).flatMap { $0.isReachable ? (id: id, address: $0.address) : nil }
        }
        return await FailoverConfirmationProbe.gather(
            candidate: tracking.replicaAddress, candidateId: tracking.replicaId, electorate: voters, send: send
        )
    }
}
