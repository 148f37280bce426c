import Foundation
import Testing
import ShardtopCore

@Suite struct ActionPermissionsTests {
    let a = NodeAddress(host: "10.0.0.1", port: 6379)
    let b = NodeAddress(host: "10.0.0.2", port: 6379)
    let c = NodeAddress(host: "10.0.0.3", port: 6379)

    func plan(_ path: MigrationPath) -> MigrationPlan {
        MigrationPlan(sourceId: "a", sourceAddress: a, targetId: "b", targetAddress: b, slots: [1, 2], path: path, pathReason: "test")
    }

    /// The README's operating line is exactly what the actions send, plus monitoring and DRYRUN.
    @Test func operatingLineIsWhatTheActionsSend() {
        let kinds: [ActionPermissions.Kind] = [.failover, .legacyMigration, .fix]
        var needed = Set(kinds.flatMap { kind in ActionPermissions.Role.allCases.flatMap { ActionPermissions.requirements(kind, $0) } }.map(\.rule))
        needed.insert("~*")
        needed.insert("+acl|dryrun")
        needed.formUnion(ACLUserLines.monitoringRules)
        #expect(Set(ACLUserLines.operatingRules) == needed)
        #expect(ACLUserLines.operatingRules.count == needed.count, "a rule is listed twice")
        let atomic = Set(ActionPermissions.requirements(.atomicMigration, .source).map(\.rule)).subtracting(ACLUserLines.operatingRules)
        #expect(atomic == Set(ACLUserLines.atomicRules))
        #expect(ActionPermissions.requirements(.atomicMigration, .target).isEmpty)
    }

    @Test func dryRunsAndProbesAreTheCommandTheyCheck() {
        let all = ActionPermissions.Kind.allCases.flatMap { kind in ActionPermissions.Role.allCases.flatMap { ActionPermissions.requirements(kind, $0) } }
        for requirement in Set(all) {
            #expect(requirement.dryRun.joined(separator: " ").uppercased().hasPrefix(requirement.command), "\(requirement)")
            if let probe = requirement.probe {
                #expect(probe.joined(separator: " ").uppercased().hasPrefix(requirement.command), "\(requirement)")
            }
            let words = requirement.command.lowercased().split(separator: " ").joined(separator: "|")
            #expect(requirement.rule == "+" + words, "\(requirement)")
        }
        // Commands whose every form does something are never probed.
        #expect(ACLRequirement.del.probe == nil && ACLRequirement.cancelSlotMigrations.probe == nil)
        // The slot-taking probes name slot 16384, which no server accepts.
        for requirement in [ACLRequirement.setSlot, .getKeysInSlot, .countKeysInSlot, .migrateSlots] {
            #expect(requirement.probe?.contains("16384") == true, "\(requirement)")
        }
    }

    @Test func migrationTouchesEveryNodeItSendsTo() {
        let legacy = ActionPermissions.touches(migrating: [plan(.legacy)], primaries: [a, b, c])
        #expect(legacy.map(\.node) == [a, b, c])
        #expect(legacy[0].requirements.contains(.migrate) && !legacy[0].requirements.contains(.restoreAsking))
        #expect(legacy[1].requirements.contains(.restoreAsking) && legacy[1].requirements.contains(.select))
        #expect(legacy[2].requirements == [.setSlot])
        let atomic = ActionPermissions.touches(migrating: [plan(.atomic)], primaries: [a, b, c])
        #expect(atomic.map(\.node) == [a])
        #expect(atomic[0].requirements.contains(.migrateSlots))
        // Two plans through the same node merge into one touch without duplicates.
        var back = plan(.legacy)
        (back.sourceAddress, back.targetAddress) = (b, a)
        let both = ActionPermissions.touches(migrating: [plan(.legacy), back], primaries: [a, b])
        #expect(both.map(\.node) == [a, b])
        #expect(both.allSatisfy { Set($0.requirements).count == $0.requirements.count })
        #expect(both[0].requirements.contains(.restoreAsking) && both[0].requirements.contains(.migrate))
        #expect(ActionPermissions.touches(failoverTo: c) == [ACLTouch(node: c, requirements: [.failover, .clientSetName, .clientList])])
    }

    @Test func dryRunRepliesAreClassified() {
        let setSlot = ACLRequirement.setSlot, migrate = ACLRequirement.migrate
        #expect(ACLVerdict.fromDryRun(ok: true, text: nil, error: nil, requirement: setSlot) == .allowed)
        #expect(ACLVerdict.fromDryRun(ok: false, text: "This user has no permissions to run the 'cluster|setslot' command", error: nil, requirement: setSlot)
            == .denied(rule: "+cluster|setslot"))
        #expect(ACLVerdict.fromDryRun(ok: false, text: "User ops has no permissions to access the 'shardtop-acl-probe' key", error: nil, requirement: migrate)
            == .denied(rule: "~*"))
        // DRYRUN itself refused (redis / valkey wording) or missing: the probes decide.
        #expect(ACLVerdict.fromDryRun(ok: false, text: nil, error: "NOPERM this user has no permissions to run the 'acl|dryrun' command", requirement: setSlot) == nil)
        #expect(ACLVerdict.fromDryRun(ok: false, text: nil, error: "NOPERM User mon has no permissions to run the 'acl|dryrun' command", requirement: setSlot) == nil)
        #expect(ACLVerdict.fromDryRun(ok: false, text: nil, error: "ERR unknown subcommand 'DRYRUN'. Try ACL HELP.", requirement: setSlot) == nil)
        guard case .unknown = ACLVerdict.fromDryRun(ok: false, text: nil, error: "ERR User 'x' not found", requirement: setSlot) else {
            Issue.record("an unexpected DRYRUN error must not read as allowed")
            return
        }
    }

    @Test func probeRepliesAreClassified() {
        #expect(ACLVerdict.fromProbe(error: "ERR Invalid or out of range slot", requirement: .setSlot) == .allowed)
        #expect(ACLVerdict.fromProbe(error: nil, requirement: .dump) == .allowed)
        #expect(ACLVerdict.fromProbe(error: "MOVED 1234 10.0.0.2:6379", requirement: .restoreAsking) == .allowed)
        #expect(ACLVerdict.fromProbe(error: "NOPERM this user has no permissions to run the 'cluster|setslot' command", requirement: .setSlot)
            == .denied(rule: "+cluster|setslot"))
        #expect(ACLVerdict.fromProbe(error: "NOPERM No permissions to access a key", requirement: .migrate) == .denied(rule: "~*"))
        // A command name containing "key" is still a command refusal.
        #expect(ACLVerdict.fromProbe(error: "NOPERM User mon has no permissions to run the 'cluster|getkeysinslot' command", requirement: .getKeysInSlot)
            == .denied(rule: "+cluster|getkeysinslot"))
    }

    @Test func refusalIsOneLineNamingUserCommandNodeAndRule() {
        var result = ACLPreflightResult(user: "shardtop-watch")
        #expect(result.refusal(verb: "migrate slots") == nil)
        result.record(.allowed, for: .countKeysInSlot, on: a)
        result.record(.denied(rule: "+cluster|setslot"), for: .setSlot, on: a)
        result.record(.denied(rule: "+migrate"), for: .migrate, on: a)
        result.record(.denied(rule: "+cluster|setslot"), for: .setSlot, on: b)
        let line = try! #require(result.refusal(verb: "migrate slots"))
        #expect(line == "refusing to migrate slots: ACL user shardtop-watch may not run CLUSTER SETSLOT on 10.0.0.1:6379 (add +cluster|setslot to that user); missing on 2 nodes: +cluster|setslot +migrate; nothing was done")
        #expect(!line.contains("\n"))
        result.record(.unknown("ACL DRYRUN refused and no harmless probe exists"), for: .del, on: b)
        #expect(result.uncheckedNote?.contains("10.0.0.2:6379 DEL") == true)
    }

    @Test func readmeCarriesTheExactLines() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(ACLUserLines.monitoring), "README.md lacks: \(ACLUserLines.monitoring)")
        #expect(text.contains(ACLUserLines.operating), "README.md lacks: \(ACLUserLines.operating)")
        #expect(text.contains(ACLUserLines.atomicRules.joined(separator: " ")))
    }
}
