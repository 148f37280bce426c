import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis
import ShardtopUI

/// Runs the dashboard's add / remove / forget / replace off the render path, through the same
/// MembershipSteps and guards as the headless commands: fresh reads, the refusal while other
/// problems exist, the ACL preflight, the lease, the journal. Progress goes to the store (the
/// operations bar), each step to the timeline, and the outcome to the status line.
final class DashboardMembership: @unchecked Sendable {
    private let links: ActionLinks
    private let lab: LabCluster?
    private let journal: @Sendable (JournalDraft) -> Void
    private weak var store: DashboardStore?
    private let lock = NSLock()
    /// Lab servers started here; stopped when the dashboard closes (the lab's own nodes stop with the lab).
    private var spares: [LabSpareServer] = []

    init(links: ActionLinks, lab: LabCluster?, store: DashboardStore?, journal: @escaping @Sendable (JournalDraft) -> Void) {
        self.links = links
        self.lab = lab
        self.store = store
        self.journal = journal
    }

    /// Why a run stopped before or during its steps: said in the status and journaled as such.
    private struct Stop: Error {
        var reason: String
        var outcome: ActionRecord.Outcome
    }

    func run(_ request: MembershipRequest) async {
        let action = Self.actionName(request)
        do {
            let summary = try await perform(request, action: action)
            journal(JournalDraft(action: action, nodes: [], commands: [], outcome: .succeeded, detail: summary))
            store?.dispatch(.membershipFinished(summary, succeeded: true))
        } catch let stop as Stop {
            journal(JournalDraft(action: action, nodes: [], commands: [], outcome: stop.outcome, detail: stop.reason))
            store?.dispatch(.membershipFinished("\(action): \(stop.reason)", succeeded: false))
        } catch let failure as MembershipStepFailure {
            journal(JournalDraft(action: action, nodes: failure.nodes.map(Self.label), commands: [], outcome: .failed, detail: failure.description))
            store?.dispatch(.membershipFinished("\(action) stopped: \(failure.description)", succeeded: false))
        } catch {
            journal(JournalDraft(action: action, nodes: [], commands: [], outcome: .failed, detail: "\(error)"))
            store?.dispatch(.membershipFinished("\(action) stopped: \(error)", succeeded: false))
        }
    }

    /// A lab server the dashboard started, by address (the lab keys K/Z/C act on it too).
    func spare(at address: NodeAddress) -> LabSpareServer? {
        lock.withLock { spares.first { $0.address == address } }
    }

    func stopSpares() {
        for spare in lock.withLock({ spares }) { spare.stop() }
    }

    static func actionName(_ request: MembershipRequest) -> String {
        switch request {
        case .add: "add-node"
        case .remove: "remove-node"
        case .forget: "forget"
        case .replace: "replace"
        }
    }

    static func label(_ node: SnapshotNode) -> String { "\(node.address) \(node.id.prefix(8))" }

    // MARK: the four changes

    private func perform(_ request: MembershipRequest, action: String) async throws -> String {
        let snapshot = try currentSnapshot()
        switch request {
        case .add(let address, let replicaOfId):
            var primary: SnapshotNode?
            if let replicaOfId {
                guard let chosen = snapshot.node(id: replicaOfId), chosen.isPrimary, chosen.isReachable else {
                    throw Stop(reason: "refusing: \(Format.shortID(replicaOfId)) is not a live primary", outcome: .refused)
                }
                primary = chosen
            }
            try refuseOtherProblems(snapshot, exceptAbout: [], verb: "add a node")
            let members = try liveMembers(snapshot)
            let candidate = try await newNode(address, replicaOf: primary, snapshot: snapshot)
            let introducer = members.first { $0.isPrimary } ?? members[0]
            try await requirePermissions(ActionPermissions.touches(adding: candidate.address, introducer: introducer.address,
                                                                   members: members.map(\.address), replicate: primary != nil), verb: "add a node")
            let role = primary.map { "replica of \($0.address)" } ?? "empty primary"
            journal(JournalDraft(action: action, nodes: primary.map { [Self.label($0)] } ?? [], commands: [], outcome: .started,
                                 detail: "add \(candidate.address) \(candidate.id?.prefix(8) ?? "") as \(role), from the dashboard"))
            let lease = try await acquireLease(members.map(\.address) + [candidate.address], verb: action)
            defer { lease.release() }
            try await makeSteps(action).join(candidate, replicaOf: primary, members: members)
            return "\(candidate.address) added as \(role)\(primary == nil ? "; B on the balance screen moves slots onto it" : "")"

        case .remove(let nodeId, let drain):
            let plan: NodeRemovalPlan
            switch NodeRemovalPlanner.plan(snapshot, nodeId: nodeId, drain: drain) {
            case .failure(let refusal): throw Stop(reason: "refusing to remove \(Format.shortID(nodeId)): \(refusal); nothing was sent", outcome: .refused)
            case .success(let made): plan = made
            }
            let target = plan.node
            try refuseOtherProblems(snapshot, exceptAbout: [target.id], verb: "remove a node")
            var migrations: [MigrationPlan] = []
            for move in plan.drain?.moves ?? [] {
                guard let source = snapshot.node(id: move.fromId), let to = snapshot.node(id: move.toId) else { continue }
                migrations.append(MigrationPlanner.plan(source: source, target: to, slots: move.slots))
            }
            let primaries = snapshot.reachablePrimaryAddresses
            let replicas = plan.replicaMoves.compactMap { snapshot.node(id: $0.replicaId) }
            try await requirePermissions(
                ActionPermissions.touches(removing: target.address, forgetOn: plan.forgetOn.map(\.address), replicas: replicas.map(\.address), shutdown: false)
                    + ActionPermissions.touches(migrating: migrations, primaries: primaries),
                verb: "remove a node")
            journal(JournalDraft(action: action, nodes: [Self.label(target)], commands: [], outcome: .started,
                                 detail: NodeRemovalPlanText.summary(plan, snapshot: snapshot) + ", from the dashboard"))
            var current = snapshot
            if !migrations.isEmpty {
                try await drainSlots(migrations, primaries: primaries, action: action)
                current = try await settled { $0.node(id: target.id).map { $0.slotCount == 0 } ?? false }
            }
            let others = try liveMembers(current).filter { $0.id != target.id }
            let lease = try await acquireLease(others.map(\.address) + [target.address], verb: action)
            defer { lease.release() }
            try await makeSteps(action).remove(target, snapshot: current, others: others, shutdown: false)
            return "removed \(target.address): no remaining node lists it (it keeps running, reset and empty)"

        case .forget(let ids):
            let members = try liveMembers(snapshot).filter { !ids.contains($0.id) }
            let views = try await readViews(members)
            var ghosts: [Ghost] = []
            var refused: [String] = []
            for id in ids {
                if let refusal = await MembershipSteps.ghostRefusal(id, views: views, links: links) {
                    refused.append("\(snapshot.node(id: id).map(Self.label) ?? String(id.prefix(8))): \(refusal)")
                } else if let ghost = GhostFinder.ghost(id, views: views) {
                    ghosts.append(ghost)
                }
            }
            guard !ghosts.isEmpty else {
                throw Stop(reason: "refusing to forget: \(refused.joined(separator: "; ")); nothing was sent", outcome: .refused)
            }
            try refuseOtherProblems(snapshot, exceptAbout: Set(ghosts.map(\.id)), verb: "forget nodes")
            let involved = ghosts.compactMap { snapshot.node(id: $0.id) }
            try await requirePermissions(ActionPermissions.touches(forgettingOn: members.map(\.address)), verb: "forget nodes")
            let lease = try await acquireLease(members.map(\.address), verb: action)
            defer { lease.release() }
            journal(JournalDraft(action: action, nodes: involved.map(Self.label), commands: [], outcome: .started,
                                 detail: "forget \(ghosts.map(\.label).joined(separator: ", ")) on \(members.count) live nodes, from the dashboard"))
            _ = try await makeSteps(action).forget(ghosts.map(\.id), on: members.map(\.address), involved: involved)
            let skipped = refused.isEmpty ? "" : "; not forgotten: \(refused.joined(separator: "; "))"
            return "forgotten: no live node lists \(ghosts.map(\.label).joined(separator: ", ")) any more\(skipped)"

        case .replace(let deadId, let address):
            guard let dead = snapshot.node(id: deadId) else { throw Stop(reason: "no node \(Format.shortID(deadId)) in the cluster", outcome: .refused) }
            let members = try liveMembers(snapshot).filter { $0.id != deadId }
            let views = try await readViews(members)
            if let refusal = await MembershipSteps.ghostRefusal(deadId, views: views, links: links) {
                throw Stop(reason: "refusing to replace \(dead.address): \(refusal); nothing was sent", outcome: .refused)
            }
            guard let ghost = GhostFinder.ghost(deadId, views: views) else {
                throw Stop(reason: "no live node lists \(dead.address)", outcome: .refused)
            }
            let primary: SnapshotNode
            switch ReplacementPlanner.primary(for: ghost, snapshot: snapshot) {
            case .failure(let refusal): throw Stop(reason: "refusing to replace \(dead.address): \(refusal)", outcome: .refused)
            case .success(let chosen): primary = chosen
            }
            try refuseOtherProblems(snapshot, exceptAbout: [deadId], verb: "replace a node")
            let candidate = try await newNode(address, replicaOf: primary, snapshot: snapshot)
            let introducer = members.first { $0.isPrimary } ?? members[0]
            try await requirePermissions(
                ActionPermissions.touches(adding: candidate.address, introducer: introducer.address, members: members.map(\.address), replicate: true)
                    + ActionPermissions.touches(forgettingOn: members.map(\.address) + [candidate.address]),
                verb: "replace a node")
            journal(JournalDraft(action: action, nodes: [Self.label(dead), Self.label(primary)], commands: [], outcome: .started,
                                 detail: "replace \(ghost.label) with \(candidate.address) as replica of \(primary.address), from the dashboard"))
            let lease = try await acquireLease(members.map(\.address) + [candidate.address], verb: action)
            defer { lease.release() }
            let steps = makeSteps(action)
            try await steps.join(candidate, replicaOf: primary, members: members)
            _ = try await steps.forget([deadId], on: members.map(\.address) + [candidate.address], involved: [dead])
            return "replaced: \(candidate.address) replicates \(primary.address); \(ghost.label) is forgotten everywhere"
        }
    }

    // MARK: guards and helpers

    private func makeSteps(_ action: String) -> MembershipSteps {
        let store = self.store
        let journal = self.journal
        return MembershipSteps(
            links: links,
            record: { nodes, commands, detail in
                journal(JournalDraft(action: action, nodes: nodes.map(Self.label), commands: commands, outcome: .succeeded, detail: detail))
            },
            progress: { line, _ in if !line.isEmpty { store?.dispatch(.membershipProgress(line)) } },
            said: { line in store?.dispatch(.membershipProgress(line)) }
        )
    }

    private func currentSnapshot() throws -> ClusterSnapshot {
        guard let snapshot = store?.snapshotOfState.snapshot else { throw Stop(reason: "no snapshot yet", outcome: .refused) }
        return snapshot
    }

    /// Every member that answered the dashboard's last poll; none is a refusal (there is nobody to tell).
    private func liveMembers(_ snapshot: ClusterSnapshot) throws -> [SnapshotNode] {
        let members = snapshot.nodes.filter { !$0.isUnknownSeed && $0.isReachable }.sorted { $0.address < $1.address }
        guard !members.isEmpty else { throw Stop(reason: "no cluster node answers; nothing was sent", outcome: .refused) }
        return members
    }

    private func refuseOtherProblems(_ snapshot: ClusterSnapshot, exceptAbout ids: Set<String>, verb: String) throws {
        let problems = ActionPreconditions.blockingProblems(snapshot, exceptAbout: ids)
        guard !problems.isEmpty else { return }
        throw Stop(reason: ActionPreconditions.refusal(problems, snapshot: snapshot, action: verb), outcome: .refused)
    }

    private func requirePermissions(_ touches: [ACLTouch], verb: String) async throws {
        let result = await ACLPreflight.check(touches, links: links)
        if let refusal = result.refusal(verb: verb) { throw Stop(reason: refusal, outcome: .refused) }
    }

    private func acquireLease(_ addresses: [NodeAddress], verb: String) async throws -> OperationLease {
        do {
            return try await OperationLease.acquire(on: addresses, verb: verb, options: await links.connectionOptions)
        } catch {
            throw Stop(reason: "\(error)", outcome: .refused)
        }
    }

    private func readViews(_ members: [SnapshotNode]) async throws -> [MembershipView] {
        let read = await MembershipReader.read(members.map(\.address), links: links)
        if let (address, why) = read.failures.first {
            throw Stop(reason: "\(address) stopped answering (\(why)); nothing was sent", outcome: .refused)
        }
        return read.views
    }

    /// The node to add: the typed address, or (nil) a new lab server started like the lab's nodes.
    /// Its preflight refuses before anything is sent to the cluster.
    private func newNode(_ text: String?, replicaOf primary: SnapshotNode?, snapshot: ClusterSnapshot) async throws -> CandidateNode {
        let address: NodeAddress
        if let text {
            guard let parsed = NodeAddress(text) else { throw Stop(reason: "\(text) is not host:port", outcome: .refused) }
            address = parsed
        } else {
            guard let lab else { throw Stop(reason: "only a lab (`shardtop lab`) can start a new server", outcome: .refused) }
            store?.dispatch(.membershipProgress("starting a new lab server"))
            do {
                let spare = try await LabSpareServer.start(like: lab)
                lock.withLock { spares.append(spare) }
                store?.dispatch(.labServerStarted(spare.address.description))
                address = spare.address
            } catch {
                throw Stop(reason: "could not start a lab server: \(error)", outcome: .failed)
            }
        }
        let candidate: CandidateNode
        do {
            candidate = try await CandidateProbe.read(address, links: links)
        } catch {
            throw Stop(reason: "refusing to add \(address): \(error); nothing was sent", outcome: .refused)
        }
        let problems = AddNodePreflight.problems(candidate, snapshot: snapshot, replicaOf: primary)
        if !problems.isEmpty {
            throw Stop(reason: "refusing to add \(address): \(problems.joined(separator: "; ")); nothing was sent", outcome: .refused)
        }
        return candidate
    }

    /// Moves the node's slots away through the migration engine, one move after another, each
    /// journaled; progress shows in the operations bar line.
    private func drainSlots(_ plans: [MigrationPlan], primaries: [NodeAddress], action: String) async throws {
        let runner = MigrationRunner(links: links)
        let store = self.store
        for plan in plans {
            let summary = "drain \(plan.slots.count) slots \(SnapshotDiff.describe(plan.ranges)) \(plan.sourceAddress) -> \(plan.targetAddress)"
            do {
                let outcome = try await runner.run(plan, primaries: primaries) { progress in
                    store?.dispatch(.membershipProgress("drain \(progress.sourceAddress)->\(progress.targetAddress) \(progress.slotsDone)/\(progress.slotsTotal) slots, \(progress.keysMoved) keys"))
                }
                journal(JournalDraft(action: action, nodes: [plan.sourceAddress.description, plan.targetAddress.description], commands: outcome.commands,
                                     outcome: .succeeded, detail: "\(summary): \(outcome.keysMoved) keys"))
            } catch {
                throw Stop(reason: "\(summary) stopped: \(error)", outcome: .failed)
            }
        }
    }

    /// Waits (bounded by time and attempts) until the dashboard's snapshot shows `condition`: the
    /// poller runs every 200 ms while an operation is busy.
    private func settled(_ condition: (ClusterSnapshot) -> Bool) async throws -> ClusterSnapshot {
        let started = ContinuousClock.now
        var attempts = 0
        while true {
            attempts += 1
            if let snapshot = store?.snapshotOfState.snapshot, condition(snapshot) { return snapshot }
            if ContinuousClock.now - started > .seconds(60) && attempts >= 100 {
                throw Stop(reason: "the drained node still shows slots after 60 s; check with `shardtop check`", outcome: .failed)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
