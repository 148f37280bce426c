/// What a node said about one requirement, reduced to the three answers that matter.
public enum ACLVerdict: Sendable, Hashable {
    case allowed
    /// Refused; `rule` is what to add to the user.
    case denied(rule: String)
    /// Neither DRYRUN nor a probe could tell; the reason says why.
    case unknown(String)

    /// An ACL DRYRUN reply: OK, or a text saying what is refused ("... no permissions to run the
    /// 'cluster|setslot' command" / "... to access the 'k' key"). nil when DRYRUN itself could not
    /// run (NOPERM for acl|dryrun, or a server without it): then the probes decide. Texts come
    /// already made safe for display.
    public static func fromDryRun(ok: Bool, text: String?, error: String?, requirement: ACLRequirement) -> ACLVerdict? {
        if ok { return .allowed }
        if let text { return .denied(rule: rule(for: text, requirement)) }
        guard let error else { return .unknown("ACL DRYRUN gave no answer") }
        if error.hasPrefix("NOPERM") || error.localizedCaseInsensitiveContains("unknown subcommand")
            || error.localizedCaseInsensitiveContains("unknown command") {
            return nil
        }
        return .unknown("ACL DRYRUN: \(error)")
    }

    /// A probe's reply: only NOPERM means refused; any other answer (an argument error, a
    /// redirect, a value) comes after the server's ACL check, so the command is allowed.
    public static func fromProbe(error: String?, requirement: ACLRequirement) -> ACLVerdict {
        guard let error, error.hasPrefix("NOPERM") else { return .allowed }
        return .denied(rule: rule(for: error, requirement))
    }

    /// Key refusals say "access"; command refusals say "run".
    static func rule(for text: String, _ requirement: ACLRequirement) -> String {
        requirement.namesKeys && text.lowercased().contains("access") ? "~*" : requirement.rule
    }
}

/// One refused command on one node.
public struct ACLDenial: Sendable, Hashable {
    public var node: NodeAddress
    public var command: String
    public var rule: String

    public init(node: NodeAddress, command: String, rule: String) {
        self.node = node
        self.command = command
        self.rule = rule
    }
}

/// The outcome of a preflight over every node an action touches.
public struct ACLPreflightResult: Sendable, Hashable {
    /// The ACL user the action runs as (and MIGRATE authenticates as on the target).
    public var user: String
    public var denials: [ACLDenial] = []
    /// "node: command (why)" for every requirement that could not be checked.
    public var unchecked: [String] = []

    public init(user: String, denials: [ACLDenial] = [], unchecked: [String] = []) {
        self.user = user
        self.denials = denials
        self.unchecked = unchecked
    }

    public mutating func record(_ verdict: ACLVerdict, for requirement: ACLRequirement, on node: NodeAddress) {
        switch verdict {
        case .allowed: break
        case .denied(let rule): denials.append(ACLDenial(node: node, command: requirement.command, rule: rule))
        case .unknown(let why): unchecked.append("\(node) \(requirement.command) (\(why))")
        }
    }

    public var isDenied: Bool { !denials.isEmpty }

    /// Every rule missing somewhere, in first-seen order.
    public var missingRules: [String] {
        var seen = Set<String>()
        return denials.map(\.rule).filter { seen.insert($0).inserted }
    }

    /// The user, the first refused command, its node and rule, then every missing rule; nil when
    /// nothing is refused. The dashboard shows it as the reason an action key is disabled.
    public var denialReason: String? {
        guard let first = denials.first else { return nil }
        let all = missingRules
        let nodes = Set(denials.map(\.node)).count
        let also = all.count > 1 || nodes > 1 ? "; missing on \(nodes) node\(nodes == 1 ? "" : "s"): \(all.joined(separator: " "))" : ""
        return "ACL user \(user) may not run \(first.command) on \(first.node) (add \(first.rule) to that user)\(also)"
    }

    /// The headless commands' one-line refusal.
    public func refusal(verb: String) -> String? {
        denialReason.map { "refusing to \(verb): \($0); nothing was done" }
    }

    /// One line when some commands could not be checked; the action is not refused for it.
    public var uncheckedNote: String? {
        guard let first = unchecked.first else { return nil }
        let more = unchecked.count > 1 ? " and \(unchecked.count - 1) more" : ""
        return "ACL permissions could not be checked for \(first)\(more); give the user +acl|dryrun for an exact check"
    }
}
