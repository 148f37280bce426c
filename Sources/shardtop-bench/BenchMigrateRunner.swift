import ShardtopApp
import Foundation
import ShardtopCore
import ShardtopRedis

/// The tools `bench migrate` compares, by their one-letter key.
enum BenchMigrateTool: String, CaseIterable, Sendable, Hashable {
    case shardtopLegacy = "S"
    case cliDefault = "C"
    case cliPipeline1000 = "D"
    case shardtopAtomic = "T"
    case rawMigrateSlots = "R"
    case dashboardAtomic = "W"

    var label: String {
        switch self {
        case .shardtopLegacy: "shardtop migrate --path legacy"
        case .cliDefault: "redis-cli --cluster reshard (pipeline 10)"
        case .cliPipeline1000: "redis-cli --cluster reshard --cluster-pipeline 1000"
        case .shardtopAtomic: "shardtop migrate --path atomic"
        case .rawMigrateSlots: "raw CLUSTER MIGRATESLOTS loop"
        case .dashboardAtomic: "shardtop atomic as the dashboard runs it (in-process, warm)"
        }
    }

    static func parse(_ text: String?, engine: BenchMigrateCommand.Engine) throws -> [BenchMigrateTool] {
        guard let text else { return engine == .redis ? [.shardtopLegacy, .cliDefault, .cliPipeline1000] : [.shardtopAtomic, .dashboardAtomic, .rawMigrateSlots, .shardtopLegacy] }
        var tools: [BenchMigrateTool] = []
        for part in text.split(separator: ",") {
            guard let tool = BenchMigrateTool(rawValue: part.trimmingCharacters(in: .whitespaces).uppercased()) else {
                throw BenchFailure("unknown tool '\(part)' in --tools: use S, C, D, T, W, R")
            }
            if !tools.contains(tool) { tools.append(tool) }
        }
        if tools.isEmpty { throw BenchFailure("--tools names no tool") }
        return tools
    }
}

/// Runs one move with one tool and times it.
struct BenchMigrateRunner: Sendable {
    let selfPath: String
    let cliPath: String
    let seed: NodeAddress
    let slotCount: Int
    let rangeText: String
    let ranges: [SlotRange]
    let journalPath: String
    let extraShardtopOptions: [String]
    let workDirectory: String

    struct Result {
        var seconds: Double
        var engineSeconds: Double?
    }

    func arguments(_ tool: BenchMigrateTool, from: BenchMigrateCommand.Side, to: BenchMigrateCommand.Side) -> [String] {
        switch tool {
        case .shardtopLegacy, .shardtopAtomic:
            return ["migrate", "--slots", rangeText, "--to", to.address.description, "--path", tool == .shardtopLegacy ? "legacy" : "atomic",
                    "--yes", "--journal", journalPath] + extraShardtopOptions + [seed.description]
        case .cliDefault, .cliPipeline1000:
            return ["--cluster", "reshard", seed.description, "--cluster-from", from.id, "--cluster-to", to.id,
                    "--cluster-slots", "\(slotCount)", "--cluster-yes"] + (tool == .cliPipeline1000 ? ["--cluster-pipeline", "1000"] : [])
        case .rawMigrateSlots, .dashboardAtomic:
            return []
        }
    }

    /// The command as the README shows it (A->B; B->A swaps the nodes).
    func describe(_ tool: BenchMigrateTool, from: BenchMigrateCommand.Side, to: BenchMigrateCommand.Side) -> String {
        switch tool {
        case .shardtopLegacy, .shardtopAtomic:
            return ([selfPath] + arguments(tool, from: from, to: to)).map(BenchSnapshotCommand.shellQuoted).joined(separator: " ")
        case .cliDefault, .cliPipeline1000:
            return ([cliPath] + arguments(tool, from: from, to: to)).map(BenchSnapshotCommand.shellQuoted).joined(separator: " ")
        case .rawMigrateSlots:
            let slotsRange = ranges.map { "\($0.start) \($0.end)" }.joined(separator: " ")
            return "in-process, warm connection to the source: CLUSTER MIGRATESLOTS SLOTSRANGE \(slotsRange) NODE \(to.id), "
                + "then CLUSTER GETSLOTMIGRATIONS every 1 ms until the new job's state is success"
        case .dashboardAtomic:
            return "in-process, as after the dashboard's confirmation: plan and survey on warm action connections before the clock, "
                + "then MigrationRunner.run (operation lease, idle check, atomic engine) to \(to.id)"
        }
    }

    func run(_ tool: BenchMigrateTool, from: BenchMigrateCommand.Side, to: BenchMigrateCommand.Side, cluster: BenchMigrateCluster) async throws -> Result {
        let stdoutPath = "\(workDirectory)/\(tool.rawValue).out"
        let stderrPath = "\(workDirectory)/\(tool.rawValue).err"
        switch tool {
        case .rawMigrateSlots:
            guard let source = cluster.connections[from.address] else { throw BenchFailure("no connection to \(from.address)") }
            let outcome = try await BenchRawMigrateSlots.run(source: source, ranges: ranges, targetId: to.id)
            return Result(seconds: outcome.elapsed.benchSeconds, engineSeconds: nil)
        case .dashboardAtomic:
            let outcome = try await BenchDashboardMigration.run(links: cluster.links, poller: cluster.poller, ranges: ranges, to: to.id)
            return Result(seconds: outcome.elapsed.benchSeconds, engineSeconds: outcome.engineSeconds)
        case .shardtopLegacy, .shardtopAtomic:
            let outcome = try await BenchMigrateProcess.run(selfPath, arguments(tool, from: from, to: to), stdoutPath: stdoutPath, stderrPath: stderrPath)
            guard outcome.succeeded else {
                throw BenchFailure("\(tool.label) \(outcome.ending): \(BenchMigrateProcess.lastLine(outcome, stderrPath: stderrPath)) (see \(stdoutPath))")
            }
            return Result(seconds: outcome.elapsed.benchSeconds, engineSeconds: Self.engineSeconds(outcome.output))
        case .cliDefault, .cliPipeline1000:
            let outcome = try await BenchMigrateProcess.run(cliPath, arguments(tool, from: from, to: to), stdoutPath: stdoutPath, stderrPath: stderrPath)
            let text = outcome.output
            guard outcome.succeeded, !text.contains("[ERR]") else {
                let bad = text.split(separator: "\n").first { $0.contains("[ERR]") }.map(String.init) ?? BenchMigrateProcess.lastLine(outcome, stderrPath: stderrPath)
                throw BenchFailure("\(tool.label) \(outcome.ending): \(bad) (see \(stdoutPath))")
            }
            return Result(seconds: outcome.elapsed.benchSeconds, engineSeconds: nil)
        }
    }

    /// "moved 500 slots, 80000 keys in 0.52 s (...)" -> 0.52.
    static func engineSeconds(_ output: String) -> Double? {
        for line in output.split(separator: "\n").reversed() {
            guard let moved = line.range(of: "moved "), let inRange = line.range(of: " keys in ", range: moved.upperBound..<line.endIndex) else { continue }
            let rest = line[inRange.upperBound...]
            return Double(rest.prefix { $0.isNumber || $0 == "." })
        }
        return nil
    }

    /// The commands of the last succeeded migrate of each path, from the journal (templates with counts).
    static func journalCommands(_ path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["outcome"] as? String == "succeeded",
                  let commands = object["commands"] as? [String], !commands.isEmpty,
                  let detail = object["detail"] as? String else { continue }
            let key = detail.contains("[atomic]") ? BenchMigrateTool.shardtopAtomic.rawValue : BenchMigrateTool.shardtopLegacy.rawValue
            result[key] = commands.joined(separator: "; ")
        }
        return result
    }
}
