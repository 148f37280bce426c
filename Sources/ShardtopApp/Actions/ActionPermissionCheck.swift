import ArgumentParser
import Foundation
import ShardtopCore
import ShardtopRedis

extension ActionSession {
    /// The ACL preflight of a headless action, once its plan is known and before its first
    /// command: a command the user may not run refuses the whole action (exit 1, one line naming
    /// the user, command, node and rule), so nothing is half done. What could not be checked is
    /// said on stderr and does not refuse: the server's own NOPERM then stops the step.
    public func requirePermissions(_ touches: [ACLTouch], action: String, verb: String, nodes: [SnapshotNode]) async throws {
        let result = await ACLPreflight.check(touches, links: links)
        if let refusal = result.refusal(verb: verb) {
            record(action, nodes: nodes, commands: [], outcome: .refused, detail: refusal)
            await close()
            throw fail(refusal, code: ExitStatus.problemsFound)
        }
        if let note = result.uncheckedNote { printError("warning: \(note)") }
    }

    /// Every primary the legacy finalise tells, as MigrationExecution passes them to the runner.
    public var reachablePrimaries: [NodeAddress] {
        snapshot.reachablePrimaryAddresses
    }
}

extension [MigrationPlan] {
    /// Sources and targets, for the journal entry of a refusal.
    public func involvedNodes(_ snapshot: ClusterSnapshot) -> [SnapshotNode] {
        var seen = Set<String>()
        return flatMap { [$0.sourceId, $0.targetId] }.filter { seen.insert($0).inserted }.compactMap { snapshot.node(id: $0) }
    }
}
