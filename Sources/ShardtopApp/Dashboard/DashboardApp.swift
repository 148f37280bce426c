import Foundation
import NIOCore
import ShardtopCore
import ShardtopLab
import ShardtopLogs
import ShardtopRecording
import ShardtopRedis
import ShardtopTerminal
import ShardtopUI
#if canImport(Glibc)
import Glibc
#endif

/// Wires the poller, the store and the terminal together and runs until the operator quits.
public final class DashboardApp: @unchecked Sendable {
    public struct Configuration {
        var seeds: [NodeAddress]
        var options: ConnectionOptions
        var interval: Double
        var lagThresholds: LagThresholds
        var theme: Theme
        var themeNames: [String]
        var themesDirectory: String?
        var readOnly: Bool
        var lab: LabCluster?
        var journalPath: String
        /// Every snapshot and its events go here as well (`--record FILE`).
        var recorder: RecordingWriter? = nil
        /// Show this recording instead of polling (`shardtop replay FILE`).
        var replay: Recording? = nil
        /// How each node's log source is chosen (the context's log-command and pods, if any).
        var logSelector = LogSourceSelector(template: nil)
        /// Capacity and persistence thresholds (`--memory-headroom`, `--fill-within`, `--save-age`).
        var capacityThresholds = CapacityThresholds.default
        var persistenceThresholds = PersistenceThresholds.default
    }

    private let configuration: Configuration
    private let poller: ClusterPoller
    private let terminal: TerminalSession
    private let actions: DashboardActions
    private let replay: ReplayDriver?
    private let logs: DashboardLogs
    private let permissions: DashboardPermissions
    private var store: DashboardStore?
    private let lock = NSLock()
    private var interval: Double
    private var paused = false
    private var themeIndex = 0
    /// Quitting: asked for, and the run waiting for it (no thread is parked on a semaphore).
    private var quitRequested = false
    private var quitWaiter: CheckedContinuation<Void, Never>?
    /// The poll loop's sleep between ticks, ended early by `wakePoller` (interval, pause, actions).
    private var pollSleep: Task<Void, Never>?
    private var woken = false

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.interval = configuration.interval
        // CLUSTER NODES at least every 5 ticks, and at once when a node's CLUSTER INFO or role moves (issue 12).
        self.poller = ClusterPoller(seeds: configuration.seeds, options: configuration.options, lagThresholds: configuration.lagThresholds,
                                    topologyEveryTicks: ClusterPoller.periodicTopologyTicks)
        self.terminal = TerminalSession(theme: configuration.theme)
        self.replay = configuration.replay.map(ReplayDriver.init(recording:))
        self.logs = DashboardLogs(selector: configuration.logSelector, poller: poller)
        self.actions = DashboardActions(
            options: configuration.options, journal: ActionJournal(path: configuration.journalPath),
            seedText: configuration.seeds.map(\.description).joined(separator: ","), lab: configuration.lab
        )
        self.permissions = DashboardPermissions(options: configuration.options)
        self.themeIndex = configuration.themeNames.firstIndex(of: configuration.theme.name) ?? 0
    }

    public func run() async throws {
        var state = AppState()
        state.interval = interval
        state.seedText = configuration.seeds.map(\.description).joined(separator: ",")
        state.lagThresholds = configuration.lagThresholds
        state.capacityThresholds = configuration.capacityThresholds
        state.persistenceThresholds = configuration.persistenceThresholds
        state.readOnly = configuration.readOnly || configuration.replay != nil
        if let tls = configuration.options.tls { state.security = tls.settings.insecure ? .tlsUnverified : .tls }
        if let recording = configuration.replay {
            state.replay = ReplayStatus(start: recording.ticks[0].time, end: recording.ticks[recording.ticks.count - 1].time,
                                        position: recording.ticks[0].time, speed: 1, paused: false)
            state.seedText = "replay of \(recording.header.seed)"
        }
        state.journalPath = configuration.journalPath
        state.themeName = configuration.theme.name
        state.now = Date().timeIntervalSince1970
        if let lab = configuration.lab { state.labAddresses = Set(lab.addresses.map(\.description)) }

        let terminal = self.terminal
        // The store exists before the terminal starts, so no key can arrive with nowhere to go.
        let glyphs: Glyphs = Self.localeIsUTF8() ? .unicode : .ascii
        let store = DashboardStore(
            state: state, glyphs: glyphs,
            perform: { [weak self] effects in self?.perform(effects) }
        )
        self.store = store
        actions.attach(store)
        replay?.attach(store)
        logs.attach(store)
        permissions.attach(store)
        var answered: (@Sendable (Key, Duration) -> Void)?
        if let keyTimes = KeyTimeLog.fromEnvironment() {
            answered = { key, took in keyTimes.record(key, took) }
        }
        try terminal.start(
            onKey: { key in store.handle(key) },
            onResize: { width, height in store.dispatch(.resized(width: width, height: height)) },
            frames: { store.nextFrame() },
            answered: answered
        )
        store.setOnChange { terminal.wake() }
        store.setGlyphs(terminal.isUTF8 ? .unicode : .ascii)
        let size = terminal.currentSize
        store.dispatch(.resized(width: size.width, height: size.height))
        store.dispatch(.clock(Date().timeIntervalSince1970))
        let signals = SignalWatcher { [weak self] in self?.quit() }

        let polling: Task<Void, Never>
        if let replay {
            polling = Task { await replay.run() }
        } else {
            polling = Task { await self.pollLoop() }
        }
        let clock = Task { [replay] in
            // A replay shows the recorded time, set by the driver with each tick.
            while !Task.isCancelled && replay == nil {
                try? await Task.sleep(for: .seconds(1))
                store.dispatch(.clock(Date().timeIntervalSince1970))
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let already = lock.withLock { () -> Bool in
                if quitRequested { return true }
                quitWaiter = continuation
                return false
            }
            if already { continuation.resume() }
        }
        polling.cancel()
        clock.cancel()
        signals.cancel()
        terminal.stop()
        logs.stop()
        // A signal (SIGTERM/SIGHUP/Ctrl-C) ends the screen at once, but a migration in flight is
        // cancelled between rounds first, so no slot is left open by quitting.
        if actions.isMigrating {
            StandardOutput.writeError(Data("shardtop: stopping the migration between slots before exiting (no slot is left open)\n".utf8))
            await actions.cancelAndWait()
        }
        await actions.waitForMembership()
        await actions.close()
        configuration.recorder?.close()
        await poller.shutdown()
    }

    /// Ticks before start-up's pages are handed back (StartupPageTrim).
    static let trimAfterTicks = 3

    private func quit() {
        let waiter = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            quitRequested = true
            defer { quitWaiter = nil }
            return quitWaiter
        }
        waiter?.resume()
    }

    /// Decided before curses starts, from the same environment setlocale will read: a non-UTF-8
    /// locale gets ASCII stand-ins for blocks and lines.
    public static func localeIsUTF8(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let locale = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LANG"] ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }

    private func pollLoop() async {
        var journalLoaded = false
        var ticks = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let (isPaused, chosen) = lock.withLock { (paused, interval) }
            // While a failover or migration is in flight, poll at least every 200 ms so the flip or
            // the moved slots show within a fraction of a second, whatever the chosen interval.
            let state = store?.snapshotOfState
            let busy = state?.operations.isBusy ?? false
            let period = busy ? min(chosen, 0.2) : chosen
            // While a dialog is open or an operation runs, every node's CLUSTER NODES is read each
            // tick, not every 5th: the refusal re-checked on confirm (a slot someone opened by
            // hand, say) and a failover's or migration's progress then see views at most one
            // tick old, as before the poller asked less often.
            let fullTopology = busy || state?.dialog != nil
            if !isPaused {
                let (snapshot, events) = await poller.tick(fullTopology: fullTopology)
                store?.snapshotArrived(snapshot, events)
                if !journalLoaded && snapshot.nodes.contains(where: { !$0.isUnknownSeed }) {
                    actions.loadJournal(for: snapshot)
                    journalLoaded = true
                }
                logs.follow(snapshot)
                // --read-only already disables every action: nothing to ask the nodes.
                if !configuration.readOnly { permissions.follow(snapshot) }
                if let recorder = configuration.recorder {
                    do { try recorder.append(snapshot, events: events) } catch { store?.dispatch(.status("recording stopped: \(error)")) }
                }
                ticks += 1
                // Start-up is over once the whole cluster has been drawn a few times: give back its pages.
                if ticks == Self.trimAfterTicks { StartupPageTrim.run() }
            }
            let elapsed = ContinuousClock.now - started
            let wait = Duration.milliseconds(Int(period * 1000)) - elapsed
            if wait > .zero { await sleepOrWake(wait) }
        }
    }

    /// Sleeps for the interval, but wakes at once when the operator changes it, unpauses or acts.
    /// One timer per tick: it used to look every 200 ms, five idle wake-ups a second (issue 12).
    private func sleepOrWake(_ duration: Duration) async {
        let sleep = Task { _ = try? await Task.sleep(for: duration) }
        let wokenAlready = lock.withLock { () -> Bool in
            defer { woken = false }
            pollSleep = sleep
            return woken
        }
        if wokenAlready { sleep.cancel() }
        await withTaskCancellationHandler {
            await sleep.value
        } onCancel: {
            sleep.cancel()
        }
        // A wake during this sleep has been answered by ending it; the tick that follows covers it.
        lock.withLock {
            pollSleep = nil
            woken = false
        }
    }

    private func wakePoller() {
        let sleep = lock.withLock { () -> Task<Void, Never>? in
            woken = true
            return pollSleep
        }
        sleep?.cancel()
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .quit:
                quit()
            case .setInterval(let seconds):
                lock.withLock { interval = seconds }
                wakePoller()
            case .setPaused(let value):
                replay?.setPaused(value)
                lock.withLock { paused = value }
                wakePoller()
            case .cycleTheme:
                cycleTheme()
            case .labSignal(let signal, let addressText):
                guard let lab = configuration.lab, let address = NodeAddress(addressText) else { continue }
                if let spare = actions.spareServer(at: address) {
                    switch signal {
                    case .kill: spare.kill()
                    case .pause: spare.pause()
                    case .resume: spare.resume()
                    }
                    wakePoller()
                    continue
                }
                guard lab.node(at: address) != nil else { continue }
                switch signal {
                case .kill: lab.kill(address)
                case .pause: lab.pause(address)
                case .resume: lab.resume(address)
                }
                wakePoller()
            case .requestSlotKeys:
                Task { await self.fetchSlotKeys() }
            case .restartLog(let nodeId):
                logs.restart(nodeId)
            case .replay(let request):
                replay?.handle(request)
            case .sendFailover, .surveyMigration, .startMigration, .pauseMigration, .cancelMigration, .startBackup, .startMembership, .journal:
                actions.perform(effect)
                wakePoller()
            }
        }
    }

    private func cycleTheme() {
        let names = configuration.themeNames
        guard !names.isEmpty else { return }
        let next: String = lock.withLock {
            themeIndex = (themeIndex + 1) % names.count
            return names[themeIndex]
        }
        do {
            let theme = try ThemeCatalog.load(nameOrPath: next, themesDirectory: configuration.themesDirectory, environment: ProcessInfo.processInfo.environment)
            terminal.setTheme(theme)
            store?.setThemeName(theme.name)
        } catch {
            store?.dispatch(.status("theme \(next): \(error)"))
        }
    }

    /// Keys per slot for the slot-map overlay, fetched off the render path.
    private func fetchSlotKeys() async {
        guard let store, let snapshot = store.snapshotOfState.snapshot else { return }
        let counts = await SlotKeyCounter.count(snapshot: snapshot, poller: poller)
        store.dispatch(.slotKeysArrived(counts))
    }
}

/// SIGINT/SIGTERM/SIGHUP end the dashboard cleanly (the terminal is restored on the way out).
public final class SignalWatcher: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    public init(onSignal: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            sources.append(makeSignalSource(signalNumber, handler: onSignal))
        }
    }

    public func cancel() {
        for source in sources { source.cancel() }
    }
}
