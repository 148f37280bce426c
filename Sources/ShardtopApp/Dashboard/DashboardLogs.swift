import Foundation
import ShardtopCore
import ShardtopLogs
import ShardtopRedis
import ShardtopUI

/// Runs one log source per node (file tail, command template or RESP fallback, chosen by
/// LogSourceSelector) and feeds their lines to the store. Sources start as nodes appear, so the
/// timeline has every node's recognised lines without the operator opening the logs screen.
public final class DashboardLogs: @unchecked Sendable {
    private let selector: LogSourceSelector
    private let poller: ClusterPoller
    private let lock = NSLock()
    private var tasks: [String: Task<Void, Never>] = [:]
    private weak var store: DashboardStore?
    /// Lines read back when a source starts: enough context, bounded memory.
    public static let tailLines = 200

    public init(selector: LogSourceSelector, poller: ClusterPoller) {
        self.selector = selector
        self.poller = poller
    }

    public func attach(_ store: DashboardStore) { self.store = store }

    /// Starts sources for nodes that have none yet.
    public func follow(_ snapshot: ClusterSnapshot) {
        for node in snapshot.nodes where !node.isUnknownSeed {
            let started = lock.withLock { tasks[node.id] != nil }
            if !started { start(node.id, address: node.address, hostname: node.hostname, restarted: false) }
        }
    }

    public func restart(_ nodeId: String) {
        guard let node = store?.snapshotOfState.snapshot?.node(id: nodeId) else { return }
        lock.withLock { tasks.removeValue(forKey: nodeId) }?.cancel()
        start(nodeId, address: node.address, hostname: node.hostname, restarted: true)
    }

    private func start(_ nodeId: String, address: NodeAddress, hostname: String?, restarted: Bool) {
        let task = Task { [weak self] in
            guard let self else { return }
            let client = await self.poller.client(for: address)
            let choice = await self.selector.choose(for: address, id: nodeId, hostname: hostname, client: client)
            let source = choice.makeSource(client: client, lines: Self.tailLines, follow: true, parser: LogLineParser())
            var first = restarted
            for await batch in source.batches() {
                if Task.isCancelled { break }
                self.store?.dispatch(.logLines(nodeId: nodeId, lines: batch.lines, source: source.label,
                                               status: batch.status.description, restarted: first))
                first = false
            }
        }
        lock.withLock { tasks[nodeId] = task }
    }

    public func stop() {
        let all = lock.withLock { () -> [Task<Void, Never>] in defer { tasks.removeAll() }; return Array(tasks.values) }
        for task in all { task.cancel() }
    }
}
