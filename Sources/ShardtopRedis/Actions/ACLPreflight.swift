import ShardtopCore

/// Before an action sends anything: may its user run every command it will send, on every node it
/// will touch (ActionPermissions)? ACL users are per node, so every node is asked.
///
/// ACL DRYRUN (7.0+) answers exactly, but it is an admin command the user may not have. Then each
/// command is probed in a form the server rejects after its ACL check and before doing anything
/// (ACLRequirement.probe). What neither can tell is reported as unchecked, never guessed.
public enum ACLPreflight {
    public static func check(_ touches: [ACLTouch], links: ActionLinks) async -> ACLPreflightResult {
        let user = await links.aclUser
        let outcomes = await withTaskGroup(of: (Int, NodeOutcome).self, returning: [Int: NodeOutcome].self) { group in
            for (index, touch) in touches.enumerated() {
                group.addTask { (index, await check(touch, user: user, links: links)) }
            }
            var outcomes: [Int: NodeOutcome] = [:]
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
        var result = ACLPreflightResult(user: user)
        for (index, touch) in touches.enumerated() {
            switch outcomes[index] {
            case .verdicts(let verdicts)?:
                for (requirement, verdict) in zip(touch.requirements, verdicts) { result.record(verdict, for: requirement, on: touch.node) }
            case .failed(let reason)?:
                result.unchecked.append("\(touch.node) (\(reason))")
            case nil:
                result.unchecked.append("\(touch.node) (not checked)")
            }
        }
        return result
    }

    enum NodeOutcome: Sendable {
        case verdicts([ACLVerdict])
        case failed(String)
    }

    /// One pipelined DRYRUN request per node; probes only for what DRYRUN could not answer.
    static func check(_ touch: ACLTouch, user: String, links: ActionLinks) async -> NodeOutcome {
        do {
            let connection = try await links.connection(touch.node)
            let dryRuns = try await connection.run("ACL DRYRUN", touch.requirements.map { ["ACL", "DRYRUN", user] + $0.dryRun })
            var verdicts: [ACLVerdict?] = zip(touch.requirements, dryRuns).map { requirement, reply in
                let error = reply.errorMessage.map { sanitizedForDisplay($0, limit: 120) }
                let text = error == nil && reply.string != "OK" ? reply.string : nil
                return ACLVerdict.fromDryRun(ok: reply.string == "OK", text: text, error: error, requirement: requirement)
            }
            let unanswered = verdicts.indices.filter { verdicts[$0] == nil }
            let probed = unanswered.filter { touch.requirements[$0].probe != nil }
            for index in unanswered where touch.requirements[index].probe == nil {
                verdicts[index] = .unknown("ACL DRYRUN refused and no harmless probe exists")
            }
            if !probed.isEmpty {
                let replies = try await connection.run("ACL probe", probed.map { touch.requirements[$0].probe! })
                for (index, reply) in zip(probed, replies) {
                    verdicts[index] = ACLVerdict.fromProbe(error: reply.errorMessage, requirement: touch.requirements[index])
                }
                // ASKING, when allowed, leaves a flag for this connection's next command: clear it
                // with a command every user may run, so the action's first command is unaffected.
                if probed.last.map({ touch.requirements[$0] == .asking }) == true {
                    _ = try await connection.run("ACL probe", [["HELLO"]])
                }
            }
            return .verdicts(verdicts.map { $0 ?? .unknown("not checked") })
        } catch {
            return .failed("\(error)")
        }
    }
}

extension ActionLinks {
    /// The ACL user the action runs as. Without a password no AUTH is sent, so that is `default`;
    /// MIGRATE's AUTH2 names the same user on the target.
    public var aclUser: String { password == nil ? "default" : (user ?? "default") }
}
