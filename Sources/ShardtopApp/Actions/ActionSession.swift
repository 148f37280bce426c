import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

/// What a headless action needs: a live poller on the cluster, its first snapshot, action links,
/// the journal, and the operator's terminal (or the lack of one) for confirmations.
public final class ActionSession: @unchecked Sendable {
    public let poller: ClusterPoller
    public let links: ActionLinks
    public let journal: ActionJournal
    public let seedText: String
    public let assumeYes: Bool
    public private(set) var snapshot: ClusterSnapshot
    public let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1

    private init(poller: ClusterPoller, links: ActionLinks, journal: ActionJournal, seedText: String, assumeYes: Bool, snapshot: ClusterSnapshot) {
        self.poller = poller
        self.links = links
        self.journal = journal
        self.seedText = seedText
        self.assumeYes = assumeYes
        self.snapshot = snapshot
    }

    /// Connects and takes the first snapshot. The command has already refused --read-only and
    /// resolved its seeds (the --to node stands in when none is given).
    public static func open(seeds: [NodeAddress], options: ConnectionOptions, lagThresholds: LagThresholds,
                            journalPath: String, assumeYes: Bool) async throws -> ActionSession {
        let poller = ClusterPoller(seeds: seeds, options: options, lagThresholds: lagThresholds)
        var (snapshot, _) = await poller.tick()
        PhaseLog.mark("polled")
        // A disagreement the previous command left in flight (gossip) should not refuse this one.
        snapshot = await poller.settled(snapshot)
        PhaseLog.mark("settled")
        guard snapshot.nodes.contains(where: { $0.error == nil && $0.lastSeen != nil }) else {
            await poller.shutdown()
            let reason = snapshot.nodes.compactMap { node in node.error.map { "\(node.address): \($0)" } }.first ?? "no seed reachable"
            throw fail("no node answered: \(reason)")
        }
        return ActionSession(
            poller: poller, links: ActionLinks(options: options), journal: ActionJournal(path: journalPath),
            // The parsed addresses, never the seed text: a redis://user:password@ seed would put the password in the journal.
            seedText: seeds.map(\.description).joined(separator: ","), assumeYes: assumeYes, snapshot: snapshot
        )
    }

    public func refresh() async -> ClusterSnapshot {
        snapshot = await poller.tick().snapshot
        return snapshot
    }

    public func close() async {
        await links.close()
        await poller.shutdown()
    }

    /// A node by host:port or by node id (a unique prefix of at least 6 characters is enough).
    public func node(_ text: String) throws(ExitCode) -> SnapshotNode {
        let real = snapshot.nodes.filter { !$0.isUnknownSeed }
        if let seed = try? Seed.parse(text), let match = real.first(where: { $0.address == seed.address }) { return match }
        let byId = real.filter { $0.id == text || (text.count >= 6 && $0.id.hasPrefix(text)) }
        if byId.count == 1 { return byId[0] }
        if byId.count > 1 { throw fail("\(text) matches \(byId.count) node ids; give more characters") }
        throw fail("no node \(text) in the cluster (give host:port as CLUSTER NODES shows it, or a node id)")
    }

    /// Asks y/N. With --yes: yes. Without a terminal and without --yes: refuses (exit 2), since
    /// nobody can answer and acting unasked is not ours to decide.
    public func confirm(_ question: String) throws(ExitCode) -> Bool {
        if assumeYes { return true }
        guard interactive else { throw fail("no terminal to confirm on: pass --yes to act without asking") }
        print("\(question) [y/N] ", terminator: "")
        flushOutput()
        let answer = readLine()?.lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }

    /// A typed confirmation; --yes counts as typed (the warning is still printed).
    public func confirmTyped(_ confirmation: TypedConfirmation) throws(ExitCode) -> Bool {
        print("WARNING: \(confirmation.warning)")
        if assumeYes { return true }
        guard interactive else { throw fail("no terminal to confirm on: pass --yes to act without asking") }
        print("Type \(confirmation.expected) to continue: ", terminator: "")
        flushOutput()
        return confirmation.accepts(readLine() ?? "")
    }

    public func record(_ action: String, nodes: [SnapshotNode], commands: [String], outcome: ActionRecord.Outcome, detail: String) {
        let record = ActionJournal.entry(
            cluster: ActionRecord.clusterName(seed: seedText, snapshot: snapshot), action: action,
            nodes: nodes.map { "\($0.address) \($0.id.prefix(8))" }, commands: commands, outcome: outcome, detail: detail,
            clusterNodeIds: ActionRecord.nodeIds(of: snapshot)
        )
        do { try journal.append(record) } catch { printError("warning: cannot write the action journal \(journal.path): \(error.localizedDescription)") }
    }

    /// Progress: one rewritten line on a terminal, plain lines (at most one a second) otherwise.
    public func progressPrinter() -> @Sendable (String, Bool) -> Void {
        let interactive = self.interactive
        let last = LastPrint()
        return { line, force in
            if interactive {
                StandardOutput.write(Data("\r\u{1B}[K\(line)".utf8))
                if force { StandardOutput.write(Data("\n".utf8)) }
            } else if force || last.due() {
                print(line)
                flushOutput()
            }
        }
    }
}

/// Rate limit for plain progress lines.
private final class LastPrint: @unchecked Sendable {
    private let lock = NSLock()
    private var at = Date.distantPast

    public func due() -> Bool {
        lock.withLock {
            guard Date().timeIntervalSince(at) >= 1 else { return false }
            at = Date()
            return true
        }
    }
}

/// print() buffers when stdout is a pipe; progress lines and prompts must appear at once.
public func flushOutput() { fflush(nil) }
