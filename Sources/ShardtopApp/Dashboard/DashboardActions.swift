import Foundation
import ShardtopCore
import ShardtopLab
import ShardtopRedis
import ShardtopUI

/// Performs the dashboard's action effects off the render path: sends failovers, surveys and runs
/// migrations with progress, and journals every step. Results come back as actions on the store.
public final class DashboardActions: @unchecked Sendable {
    private let links: ActionLinks
    private let journal: ActionJournal
    private let seedText: String
    private let lock = NSLock()
    private var control: OperationControl?
    private var membershipRunning = false
    private weak var store: DashboardStore?
    private let lab: LabCluster?
    private var membership: DashboardMembership?

    public init(options: ConnectionOptions, journal: ActionJournal, seedText: String, lab: LabCluster? = nil) {
        self.links = ActionLinks(options: options)
        self.journal = journal
        self.seedText = seedText
        self.lab = lab
    }

    public func attach(_ store: DashboardStore) {
        self.store = store
        membership = DashboardMembership(links: links, lab: lab, store: store) { [weak self] draft in self?.record(draft) }
    }

    /// A lab server the dashboard started (N, or replace in a lab), for the lab keys.
    public func spareServer(at address: NodeAddress) -> LabSpareServer? { membership?.spare(at: address) }

    /// Recent journal entries for the timeline at start.
    /// Recent journal entries about this cluster, once its first snapshot says which cluster it is:
    /// the journal is one file for every cluster the operator touches.
    public func loadJournal(for snapshot: ClusterSnapshot) {
        let recent = journal.recent(limit: 500).filter { $0.belongs(to: snapshot) }.suffix(100)
        if !recent.isEmpty { store?.dispatch(.journalArrived(Array(recent))) }
    }

    /// The reducer follows a sent failover through snapshots, which only prompt: while the latest
    /// shows the flip, the nodes are asked directly until the tracking finishes (FailoverConfirmation).
    private func confirmFailover(to address: NodeAddress) async {
        while let state = store?.snapshotOfState,
              let tracking = state.operations.failovers.values.first(where: { $0.replicaAddress == address && !$0.phase.isFinished }) {
            if tracking.flipSeen, let snapshot = state.snapshot {
                let confirmation = await FailoverRunner.confirmation(tracking, snapshot: snapshot) { [links] node, commands in
                    try await links.connection(node).send(commands, timeout: .seconds(1))
                }
                store?.dispatch(.failoverConfirmation(replicaId: tracking.replicaId, confirmation))
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    public func perform(_ effect: Effect) {
        switch effect {
        case .sendFailover(let mode, let addressText):
            guard let address = NodeAddress(addressText) else { return }
            let snapshot = store?.snapshotOfState.snapshot
            let primary = snapshot?.nodes.first { $0.address == address }?.primaryId.flatMap { snapshot?.node(id: $0)?.address }
            Task {
                if let denied = await deniedAccess(ActionPermissions.touches(failoverTo: address), \.failover) {
                    store?.dispatch(.failoverRejected(replicaAddress: addressText, reason: "refused before sending: \(denied)"))
                    return
                }
                if let rejection = await FailoverRunner.send(mode, to: address, primary: primary, links: links) {
                    store?.dispatch(.failoverRejected(replicaAddress: addressText, reason: "rejected: \(rejection)"))
                    return
                }
                await confirmFailover(to: address)
            }
        case .surveyMigration(let plans, let id):
            Task {
                let primaries = store?.snapshotOfState.snapshot?.reachablePrimaryAddresses ?? []
                // A denial refuses the dialog that is surveying (ActionReducer.accessChecked).
                if await deniedAccess(ActionPermissions.touches(migrating: plans, primaries: primaries), \.migration) != nil { return }
                do {
                    var surveyed: [MigrationPlan] = []
                    for plan in plans { surveyed.append(try await MigrationSurvey.survey(plan, links: links)) }
                    store?.dispatch(.migrationSurveyed(surveyed, id: id))
                } catch {
                    store?.dispatch(.migrationSurveyFailed("\(error)", id: id))
                }
            }
        case .startMigration(let plans):
            // One migration at a time, whatever the UI asked: a second one could re-plan slots the
            // first has not moved yet.
            let control = OperationControl()
            let started: Bool = lock.withLock {
                guard self.control == nil else { return false }
                self.control = control
                return true
            }
            guard started else { return }
            Task {
                await run(plans, control: control)
                lock.withLock { self.control = nil }
            }
        case .pauseMigration(let paused):
            lock.withLock { paused ? control?.pause() : control?.resume() }
        case .cancelMigration:
            lock.withLock { control?.cancel() }
        case .startBackup(let targets):
            let store = self.store
            Task { [links] in await DashboardBackup.run(targets, links: links, store: store) }
        case .startMembership(let request):
            // One membership change at a time, whatever the UI asked (the lease also guards
            // against another shardtop).
            guard let membership else { return }
            let started: Bool = lock.withLock {
                guard !membershipRunning else { return false }
                membershipRunning = true
                return true
            }
            guard started else { return }
            Task {
                await membership.run(request)
                lock.withLock { membershipRunning = false }
            }
        case .journal(let draft):
            record(draft)
        default:
            break
        }
    }

    private func run(_ plans: [MigrationPlan], control: OperationControl) async {
        guard let snapshot = store?.snapshotOfState.snapshot else { return }
        let runner = MigrationRunner(links: links, control: control)
        let primaries = snapshot.reachablePrimaryAddresses
        var moved = 0
        var keys = 0
        for plan in plans {
            let nodes = [plan.sourceAddress.description, plan.targetAddress.description]
            let summary = "\(plan.slots.count) slots \(SnapshotDiff.describe(plan.ranges)) \(plan.sourceAddress) -> \(plan.targetAddress) [\(plan.path.rawValue)]"
            record(JournalDraft(action: "migrate", nodes: nodes, commands: [], outcome: .started, detail: summary))
            do {
                let outcome = try await runner.run(plan, primaries: primaries) { [weak self] progress in
                    self?.store?.dispatch(.migrationProgress(progress))
                }
                moved += outcome.slotsMoved
                keys += outcome.keysMoved
                record(JournalDraft(action: "migrate", nodes: nodes, commands: outcome.commands, outcome: .succeeded,
                                    detail: "\(summary): \(outcome.keysMoved) keys in \(String(format: "%.2f", outcome.seconds)) s"))
            } catch {
                let cancelled = (error as? ActionError) == .cancelled
                record(JournalDraft(action: "migrate", nodes: nodes, commands: [], outcome: cancelled ? .cancelled : .failed, detail: "\(summary): \(error)"))
                store?.dispatch(.migrationFinished(cancelled ? "migration cancelled after \(moved) slots; no slot left open" : "migration stopped: \(error)", succeeded: false))
                return
            }
        }
        store?.dispatch(.migrationFinished("migration done: \(moved) slot\(moved == 1 ? "" : "s"), \(keys) key\(keys == 1 ? "" : "s") moved", succeeded: true))
    }

    /// The ACL preflight of one action, now that its nodes (and path) are known. On a denial the
    /// store learns it (that kind's keys are disabled with the reason) and the reason is returned.
    private func deniedAccess(_ touches: [ACLTouch], _ kind: WritableKeyPath<ActionAccess, String?>) async -> String? {
        let result = await ACLPreflight.check(touches, links: links)
        guard let reason = result.denialReason, let store else { return result.denialReason }
        var access = store.snapshotOfState.actionAccess
        access[keyPath: kind] = reason
        store.dispatch(.actionAccessChecked(access))
        return reason
    }

    private func record(_ draft: JournalDraft) {
        let snapshot = store?.snapshotOfState.snapshot
        let record = ActionJournal.entry(
            cluster: snapshot.map { ActionRecord.clusterName(seed: seedText, snapshot: $0) } ?? seedText,
            action: draft.action, nodes: draft.nodes, commands: draft.commands, outcome: draft.outcome, detail: draft.detail,
            clusterNodeIds: snapshot.map(ActionRecord.nodeIds(of:))
        )
        do {
            try journal.append(record)
        } catch {
            store?.dispatch(.status("cannot write the action journal \(journal.path): \(error.localizedDescription)"))
        }
        store?.dispatch(.journalArrived([record]))
    }

    /// Whether a migration is running (the app waits for it before closing connections).
    public var isMigrating: Bool { lock.withLock { control != nil } }

    /// Cancels a running migration and waits (up to `seconds`) until it has stopped between rounds.
    public func cancelAndWait(seconds: Double = 60) async {
        lock.withLock { control?.cancel() }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while isMigrating && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
    }

    /// Waits (up to `seconds`) for a membership change in flight: stopping mid-FORGET would leave
    /// some nodes still listing the node, and they would gossip it back.
    public func waitForMembership(seconds: Double = 60) async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while lock.withLock({ membershipRunning }) && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
    }

    public func close() async {
        membership?.stopSpares()
        await links.close()
    }
}
