import Foundation
import Testing
import ShardtopTestSupport

/// Every numeric option of every command, fed what a typo or a careless script gives: one line on
/// stderr naming the option, nothing on stdout, exit 2, never a trap. The options are read from
/// the binary's own `--experimental-dump-help`, so an option added later is covered without
/// touching this file (numeric = its default parses as a number, or its value name is one the
/// commands use for numbers).
@Suite(.serialized, .oneClusterAtATime) struct BadNumbersTests {
    static let badValues = ["inf", "nan", "1e308", "-1", "9223372036854775807"]
    static let numericValueNames: Set<String> = ["n", "ms", "s", "pct", "ops", "bytes", "node=w"]
    /// What each command needs besides the option under test to get as far as validating it; the
    /// seeds are closed ports and --server a missing file, so nothing starts if a value slipped through.
    static let baseArguments: [String: [String]] = [
        "failover": ["127.0.0.1:1"], "logs": ["127.0.0.1:1"], "migrate": ["--to", "127.0.0.1:1", "--slots", "1"],
        "replay": ["/nonexistent"], "lab": ["--server", "/nonexistent"], "bench dashboard": ["--server", "/nonexistent"],
        "bench migrate": ["--server", "/nonexistent"], "bench snapshot": ["--server", "/nonexistent"], "bench tls": ["--server", "/nonexistent"],
        "bench drain": ["--server", "/nonexistent"], "bench backup": ["--server", "/nonexistent"], "bench scale": ["--server", "/nonexistent"],
        "add-node": ["127.0.0.1:1", "127.0.0.1:2"], "remove-node": ["127.0.0.1:1"], "replace": ["127.0.0.1:1", "127.0.0.1:2"],
    ]

    struct NumericOption: Sendable {
        var command: [String]
        var name: String
        var valueName: String
    }

    /// Both binaries' options; the benchmarks' commands are named "bench ..." here.
    static func numericOptions() async throws -> [NumericOption] {
        try await numericOptions(program: CLI.binaryPath, prefix: []) + numericOptions(program: CLI.benchBinaryPath, prefix: ["bench"])
    }

    /// The command line for one run: "bench ..." runs the bench binary without the word.
    static func invocation(_ arguments: [String]) -> (program: String, arguments: [String]) {
        arguments.first == "bench" ? (CLI.benchBinaryPath, Array(arguments.dropFirst())) : (CLI.binaryPath, arguments)
    }

    static func numericOptions(program: String, prefix: [String]) async throws -> [NumericOption] {
        let dump = try await CLI.run(["--experimental-dump-help"], program: program)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])
        var found: [NumericOption] = []
        func walk(_ command: [String: Any], path: [String]) {
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String == "option" {
                guard let preferred = argument["preferredName"] as? [String: Any], preferred["kind"] as? String == "long",
                      let name = preferred["name"] as? String else { continue }
                let valueName = argument["valueName"] as? String ?? ""
                let numericDefault = (argument["defaultValue"] as? String).flatMap(Double.init) != nil
                if numericDefault || numericValueNames.contains(valueName) {
                    found.append(NumericOption(command: path, name: "--" + name, valueName: valueName))
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path: path + [name])
            }
        }
        walk(try #require(root["command"] as? [String: Any]), path: prefix)
        return found
    }

    @Test func everyNumericOptionRefusesNonsenseInOneLine() async throws {
        let options = try await Self.numericOptions()
        let names = Set(options.map { ($0.command + [$0.name]).joined(separator: " ") })
        for expected in ["rebalance --weight", "rebalance --threshold", "migrate --count", "migrate --batch", "fix --migrate-timeout",
                         "lab --load", "lab --primaries", "lab --replicas", "logs --lines", "watch --interval", "dashboard --interval",
                         "check --timeout", "snapshot --lag-bytes", "failover --wait-seconds", "migrate --slots-per-round"] {
            #expect(names.contains(expected), "dump-help lacks \(expected): \(names.sorted())")
        }
        var runs: [(String, [String])] = []
        for option in options {
            let base = Self.baseArguments[option.command.joined(separator: " ")] ?? []
            for value in Self.badValues {
                let text = option.valueName == "node=w" ? "127.0.0.1:1=\(value)" : value
                runs.append((option.name, option.command + base + ["\(option.name)=\(text)"]))
            }
        }
        // A few at a time: each run is a short process, and the machine is shared.
        for batch in stride(from: 0, to: runs.count, by: 4).map({ Array(runs[$0..<min($0 + 4, runs.count)]) }) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (name, arguments) in batch {
                    group.addTask {
                        let (program, programArguments) = Self.invocation(arguments)
                        let result = try await CLI.run(programArguments, program: program)
                        let shown = "shardtop \(arguments.joined(separator: " ")): exit \(result.status), stderr \(result.errorOutput), stdout \(result.output.prefix(200))"
                        #expect(result.status == 2, "\(shown)")
                        #expect(result.errorOutput.split(separator: "\n").count == 1, "\(shown)")
                        #expect(result.errorOutput.hasPrefix("shardtop: ") && result.errorOutput.contains(name), "\(shown)")
                        #expect(result.output.isEmpty, "\(shown)")
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// The two from the issue, word for word, and what a good weight still gets past (a closed port).
    @Test func rebalanceWeightInfinityAndHugeAreRefused() async throws {
        for weight in ["inf", "1e308", "-0.5", "x", ""] {
            let result = try await CLI.run(["rebalance", "127.0.0.1:1", "--weight", "127.0.0.1:1=\(weight)"])
            #expect(result.status == 2, "\(weight): \(result.errorOutput)")
            #expect(result.errorOutput.split(separator: "\n").count == 1, "\(weight): \(result.errorOutput)")
            #expect(result.errorOutput.contains("--weight"), "\(weight): \(result.errorOutput)")
        }
        let good = try await CLI.run(["rebalance", "127.0.0.1:1", "--weight", "127.0.0.1:1=2.5", "--connect-timeout", "200"])
        #expect(good.status == 2 && !good.errorOutput.contains("--weight"), "\(good.errorOutput)")
    }

    @Test func typosGetOneLineToo() async throws {
        for arguments in [["migrate", "--to", "x", "--count", "ten", "--from", "y"], ["migrate", "--to", "x", "--slots", "7-3"],
                          ["check", "--no-such-option"], ["failover"]] {
            let result = try await CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.errorOutput)")
            #expect(result.errorOutput.split(separator: "\n").count == 1, "\(arguments): \(result.errorOutput)")
        }
        let help = try await CLI.run(["migrate", "--help"])
        #expect(help.status == 0 && help.output.contains("--slots"))
    }
}
