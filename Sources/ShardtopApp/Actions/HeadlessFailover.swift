import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// `shardtop failover`: the preflight, the operator's confirmation, the command, and following
/// the role flip, with Ctrl-C giving the terminal back at once.
public enum HeadlessFailover {
    public static func run(node: String, mode: FailoverMode, waitSeconds: Double, session: ActionSession) async throws {
        let target = try session.node(node)
        guard let preflight = FailoverPreflight.make(snapshot: session.snapshot, nodeId: target.id) else {
            throw fail("\(target.address) is a primary without a replica that answers: nothing to fail over to", code: ExitStatus.problemsFound)
        }
        print(FailoverPreflightText.lines(preflight, mode: mode).joined(separator: "\n"))
        if !preflight.blockers.isEmpty {
            session.record("failover", nodes: [preflight.replica], commands: [], outcome: .refused, detail: preflight.blockers.joined(separator: "; "))
            throw fail("refusing: " + preflight.blockers.joined(separator: "; "), code: ExitStatus.problemsFound)
        }
        let defaultFailed = recentDefaultFailure(session, replicaId: preflight.replica.id)
        guard preflight.offeredModes(defaultFailed: defaultFailed).contains(mode) else {
            throw fail("\(mode.label) is offered only when the primary is down (the cluster marks it failed or suspected) or a default failover of this replica failed; run without --\(mode.rawValue) first", code: ExitStatus.problemsFound)
        }
        try await session.requirePermissions(ActionPermissions.touches(failoverTo: preflight.replica.address), action: "failover",
                                             verb: "fail over", nodes: [preflight.replica])
        let confirmed = try preflight.confirmation(for: mode).map { try session.confirmTyped($0) }
            ?? session.confirm("Send \(mode.command.joined(separator: " ")) to \(preflight.replica.address)?")
        guard confirmed else {
            print("not confirmed; nothing sent")
            throw ExitCode(ExitStatus.problemsFound)
        }

        // From here on Ctrl-C gives the terminal back at once (a hung primary must not hold it until
        // the deadline) and says what cannot be taken back: the command may already be on its way.
        let interrupt = Interrupt()
        interrupt.install()
        defer { interrupt.uninstall() }
        let sentAt = Date().timeIntervalSince1970
        let nodes = [preflight.replica] + (preflight.primary.map { [$0] } ?? [])
        let commands = [preflight.command(mode)]
        let pending = PendingFailover(mode: mode, replica: preflight.replica.address, sentAt: sentAt)
        session.record("failover", nodes: nodes, commands: commands, outcome: .started, detail: "mode \(mode.label), lag \(preflight.lagBytes.map(String.init) ?? "?") bytes")
        let links = session.links
        let sending = Task { await FailoverRunner.send(mode, to: preflight.replica.address, primary: preflight.primary?.address, links: links) }
        guard let rejection = await interrupt.unlessSignalled(sending) else {
            session.record("failover", nodes: nodes, commands: commands, outcome: .cancelled, detail: pending.interruptedBeforeReply)
            throw fail(pending.interruptedBeforeReply, code: ExitStatus.problemsFound)
        }
        if let rejection {
            session.record("failover", nodes: nodes, commands: commands, outcome: .failed, detail: "rejected: \(rejection)")
            throw fail("\(preflight.replica.address) rejected the failover: \(rejection)", code: ExitStatus.problemsFound)
        }
        print("sent; waiting for the role flip (up to \(Int(waitSeconds)) s)")
        flushOutput()
        let printer = session.progressPrinter()
        let tracking = FailoverTracking(replicaId: preflight.replica.id, replicaAddress: preflight.replica.address,
                                        oldPrimaryId: preflight.primary?.id, mode: mode, sentAt: sentAt, timeout: waitSeconds,
                                        electorate: FailoverTracking.electorate(in: session.snapshot, replicaId: preflight.replica.id,
                                                                                oldPrimaryId: preflight.primary?.id))
        let poller = session.poller
        let following = Task {
            await FailoverRunner.track(tracking, poller: poller) { tracking, _ in
                if tracking.phase == .waiting { printer("waiting: \(tracking.lastObservation)", false) }
            }
        }
        guard let final = await interrupt.unlessSignalled(following) else {
            printer("", true)
            session.record("failover", nodes: nodes, commands: commands, outcome: .cancelled, detail: pending.interruptedWhileFollowing)
            throw fail(pending.interruptedWhileFollowing, code: ExitStatus.problemsFound)
        }
        switch final.phase {
        case .succeeded(let seconds):
            let line = "promoted: \(preflight.replica.address) is now primary and stayed so (\(String(format: "%.1f", seconds)) s after sending)"
            printer(line, true)
            session.record("failover", nodes: nodes, commands: commands, outcome: .succeeded, detail: line)
        case .timedOut(let reason), .rejected(let reason):
            printer("", true)
            session.record("failover", nodes: nodes, commands: commands, outcome: .failed, detail: reason)
            let hint = mode == .default ? "; if the primary is gone or the replica cannot catch up, `--force` is now offered" : ""
            throw fail("failover \(mode.label) did not complete: \(reason)\(hint)", code: ExitStatus.problemsFound)
        case .waiting:
            throw fail("interrupted while waiting for the role flip", code: ExitStatus.problemsFound)
        }
    }

    /// The escalation rule across runs: a default failover of this replica failed recently.
    private static func recentDefaultFailure(_ session: ActionSession, replicaId: String) -> Bool {
        let since = Date().timeIntervalSince1970 - 15 * 60
        return session.journal.recent(limit: 500).contains {
            $0.action == "failover" && $0.outcome == .failed && $0.time >= since
                && $0.nodes.first?.hasSuffix(String(replicaId.prefix(8))) == true
                && $0.commands.first?.hasPrefix("CLUSTER FAILOVER (") == true
        }
    }
}

/// The preflight as text, shared by the headless command (the dashboard draws its own dialog).
public enum FailoverPreflightText {
    public static func lines(_ preflight: FailoverPreflight, mode: FailoverMode) -> [String] {
        var lines = [
            "failover to \(preflight.replica.address) (\(preflight.replica.id.prefix(8))), replica of \(preflight.primary.map { "\($0.address)" } ?? "?")",
            "  command:     \(preflight.command(mode))",
            "  link:        \(preflight.linkStatus ?? "unknown")",
            "  lag:         \(preflight.lagBytes.map { "\($0) bytes" } ?? "unknown"), \(preflight.lagSeconds.map { "\($0) s" } ?? "unknown")",
            "  primaries:   \(preflight.primariesReachable) of \(preflight.primariesTotal) can vote (\(preflight.majorityReachable ? "majority" : "NO majority"))",
            "  nofailover:  \(preflight.noFailoverFlag ? "set" : "not set")",
        ]
        lines += preflight.blockers.map { "  BLOCKED: \($0)" }
        lines += preflight.warnings.map { "  warning: \($0)" }
        return lines
    }
}
