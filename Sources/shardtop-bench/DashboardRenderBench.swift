import ShardtopApp
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShardtopCore
import ShardtopUI

/// Times `DashboardRenderer.render` on a synthetic cluster, one screen at a time.
///
/// The snapshot is built the way the poller builds one: a NodeReport per node (each with the
/// full CLUSTER NODES view, as every real node returns), through the real SnapshotAssembler,
/// then into the state through the reducer, several ticks in a row so sparklines have history.
enum DashboardRenderBench {
    struct ScreenTiming: Codable, Sendable {
        var screen: String
        /// Wall time per frame.
        var summary: BenchSummary
        var p99Millis: Double
        /// CPU time of the rendering thread per frame: wall time minus any time the thread was
        /// preempted, so spikes from other load on the machine show as a gap between the two.
        var cpuMedianMillis: Double
        var cpuP99Millis: Double
    }

    struct Result: Codable, Sendable {
        var primaries: Int
        var replicasPerPrimary: Int
        var nodes: Int
        var events: Int
        var width: Int
        var height: Int
        var warmupFrames: Int
        var frames: Int
        var setupSeconds: Double
        var screens: [ScreenTiming]
    }

    static let time: Double = 1_795_000_000

    static func run(primaries: Int, replicasPerPrimary: Int, width: Int, height: Int, warmupFrames: Int, frames: Int) -> Result {
        let setupStart = ContinuousClock.now
        var state = makeState(primaries: primaries, replicasPerPrimary: replicasPerPrimary, width: width, height: height)
        let setup = ContinuousClock.now - setupStart

        var checksum = 0
        var timings: [ScreenTiming] = []
        for screen in ScreenID.allCases {
            _ = Reducer.reduce(&state, .showScreen(screen))
            for _ in 0..<warmupFrames {
                checksum &+= Int(DashboardRenderer.render(state)[width / 2, height / 2].scalar.value)
            }
            var samples: [Double] = []
            var cpuSamples: [Double] = []
            samples.reserveCapacity(frames)
            cpuSamples.reserveCapacity(frames)
            for _ in 0..<frames {
                let cpuStarted = threadCPUMillis()
                let started = ContinuousClock.now
                let grid = DashboardRenderer.render(state)
                let elapsed = ContinuousClock.now - started
                cpuSamples.append(threadCPUMillis() - cpuStarted)
                checksum &+= Int(grid[width / 2, height / 2].scalar.value)
                samples.append(elapsed.millis)
            }
            let sorted = samples.sorted()
            let cpuSorted = cpuSamples.sorted()
            timings.append(ScreenTiming(
                screen: screen.title, summary: BenchSummary(millis: samples), p99Millis: BenchSummary.percentile(sorted, 0.99),
                cpuMedianMillis: BenchSummary.percentile(cpuSorted, 0.5), cpuP99Millis: BenchSummary.percentile(cpuSorted, 0.99)
            ))
        }
        // Keeps the frames observable, so the optimiser cannot drop the rendering.
        if checksum == 42 { printError("") }
        return Result(
            primaries: primaries, replicasPerPrimary: replicasPerPrimary, nodes: primaries * (1 + replicasPerPrimary),
            events: state.events.count, width: width, height: height, warmupFrames: warmupFrames, frames: frames,
            setupSeconds: setup.millis / 1000, screens: timings
        )
    }

    /// CPU time this thread has used, in milliseconds.
    static func threadCPUMillis() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
    }

    // MARK: - The synthetic cluster

    struct Member {
        var id: String
        var address: NodeAddress
        var primary: String?
        var slots: [SlotRange]
        var keys: Int64
        var ops: Int
        var memory: Int64
        var offset: Int64
    }

    /// A deterministic 40-hex-digit node id.
    static func id(_ n: Int) -> String {
        let hex = Array("0123456789abcdef")
        var text = ""
        var value = n &* 2654435761 % 4294967296
        for _ in 0..<40 { text.append(hex[value % 16]); value = (value / 16) + n * 7 + 3 }
        return text
    }

    static func members(primaries: Int, replicasPerPrimary: Int) -> [Member] {
        func address(_ index: Int) -> NodeAddress { NodeAddress(host: "10.0.\(index / 200).\(index % 200 + 1)", port: 7000 + index % 8) }
        var members: [Member] = []
        var start = 0
        for p in 0..<primaries {
            let size = hashSlotCount / primaries + (p < hashSlotCount % primaries ? 1 : 0)
            members.append(Member(
                id: id(p), address: address(p), primary: nil, slots: [SlotRange(start, start + size - 1)],
                keys: Int64(40_000 + (p * 1_500) % 90_000), ops: 900 + (p * 130) % 7_000,
                memory: Int64(10_000_000 + (p * 700_000) % 400_000_000), offset: 1_000_000 + Int64(p) * 977
            ))
            start += size
        }
        for r in 0..<(primaries * replicasPerPrimary) {
            let p = r % primaries
            let index = primaries + r
            members.append(Member(
                id: id(100_000 + r), address: address(index), primary: members[p].id, slots: [],
                keys: members[p].keys, ops: 40, memory: members[p].memory,
                // Every 7th replica trails its primary a little, so lag columns are not all zero.
                offset: members[p].offset - (r % 7 == 0 ? Int64(r * 1_000) : 0)
            ))
        }
        return members
    }

    static func reports(_ members: [Member], tick: Int, at time: Double) -> [NodeReport] {
        let byPrimary = Dictionary(grouping: members.filter { $0.primary != nil }, by: { $0.primary! })
        let shared = members.map { m in
            TopologyEntry(id: m.id, address: m.address, busPort: m.address.port + 10_000,
                          flags: m.primary == nil ? .primary : .replica, primaryID: m.primary,
                          configEpoch: 1, linkConnected: true, slots: m.slots)
        }
        return members.enumerated().map { index, viewer in
            var topology = shared
            topology[index].flags.insert(.myself)
            var info = ServerInfo(serverName: "redis", version: "7.2.4", keys: viewer.keys)
            info.role = viewer.primary == nil ? .primary : .replica
            info.opsPerSec = viewer.ops + (tick * 37 + index * 11) % 200
            info.totalCommands = Int64(tick) * 1_000 + Int64(index) * 50_000
            info.uptimeSeconds = 86_400 + Int64(tick)
            info.usedMemory = viewer.memory
            info.maxMemory = 1_000_000_000
            info.connectedClients = 12 + index % 40
            info.cpuSystemSeconds = 10 + Double(tick) * 0.01
            info.cpuUserSeconds = 20 + Double(tick) * 0.02
            info.replicationOffset = viewer.offset + Int64(tick) * 1_000
            if viewer.primary == nil {
                info.replicas = (byPrimary[viewer.id] ?? []).map {
                    ReplicaAck(address: $0.address, state: "online", offset: $0.offset + Int64(tick) * 1_000, lagSeconds: 0)
                }
            } else {
                info.primaryLinkUp = true
                info.primaryLastIOSecondsAgo = 0
            }
            return NodeReport(
                address: viewer.address, time: time, roundTripSeconds: 0.0004 + Double(index % 13) * 0.0001,
                outcome: .answered(topology: topology, clusterInfo: ClusterInfoReport(
                    state: "ok", slotsAssigned: hashSlotCount, slotsOK: hashSlotCount, knownNodes: members.count,
                    size: members.filter { $0.primary == nil }.count, currentEpoch: 7, myEpoch: 1
                ), info: info)
            )
        }
    }

    /// The state after `ticks` polls, with the event log full (events screen at its cap).
    static func makeState(primaries: Int, replicasPerPrimary: Int, width: Int, height: Int, ticks: Int = 8) -> AppState {
        let members = members(primaries: primaries, replicasPerPrimary: replicasPerPrimary)
        var state = AppState()
        state.width = width
        state.height = height
        state.interval = 1
        state.seedText = members[0].address.description
        var previous: ClusterSnapshot?
        for tick in 0..<ticks {
            let now = time - Double(ticks - 1 - tick)
            let snapshot = SnapshotAssembler.assemble(reports: reports(members, tick: tick, at: now), previous: previous, now: now)
            let events = tick == ticks - 1 ? syntheticEvents(members, count: AppState.eventCap, before: now) : []
            _ = Reducer.reduce(&state, .clock(now))
            _ = Reducer.reduce(&state, .snapshotArrived(snapshot, events))
            previous = snapshot
        }
        return state
    }

    static func syntheticEvents(_ members: [Member], count: Int, before time: Double) -> [ClusterEvent] {
        let kinds: [(ClusterEvent.Kind, ClusterEvent.Severity, String)] = [
            (.lagAboveThreshold, .warning, "replication lag above threshold: 2.1 MB"),
            (.lagBelowThreshold, .info, "replication lag back below threshold"),
            (.replicaLinkDown, .error, "link to primary down"),
            (.replicaLinkUp, .info, "link to primary up"),
            (.nodeUnreachable, .error, "unreachable from here: no reply within 1000 ms"),
            (.nodeReachable, .info, "answers again"),
        ]
        return (0..<count).map { n in
            let member = members[(n * 37) % members.count]
            let (kind, severity, text) = kinds[n % kinds.count]
            return ClusterEvent(time: time - Double(count - n), kind: kind, severity: severity, node: member.id,
                                message: "\(member.address) (\(member.id.prefix(8))) \(text)")
        }
    }
}
