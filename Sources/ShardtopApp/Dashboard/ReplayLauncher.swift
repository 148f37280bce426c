import Foundation
import ShardtopCore
import ShardtopRecording
import ShardtopRedis

/// `shardtop replay`: a recording shown in the dashboard, read-only.
public enum ReplayLauncher {
    /// With `infoOnly`, one line about the recording; else the dashboard replaying it.
    public static func run(file: String, infoOnly info: Bool, theme: String?) async throws {
        let recording: Recording
        do {
            recording = try Recording.load(path: file)
        } catch {
            throw fail("\(error)")
        }
        if info {
            let events = recording.ticks.reduce(0) { $0 + $1.events.count }
            print("recording of \(recording.header.seed): \(recording.ticks.count) snapshots over \(String(format: "%.1f", recording.duration)) s, \(events) events\(recording.skippedLines > 0 ? ", \(recording.skippedLines) damaged lines skipped" : "")")
            return
        }
        let display = DisplaySettings(theme: theme, readOnly: true)
        try await DashboardLauncher.run(seeds: [], options: ConnectionOptions(), lag: .default, display: display, lab: nil, replay: recording)
    }
}
