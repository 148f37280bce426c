/// What the ACL preflight found for the dashboard's actions. A reason disables that kind's keys
/// (Bindings), the way --read-only disables them all, so a monitoring user gets a read-only
/// dashboard from its permissions alone. nil while allowed, or while not known yet (the action's
/// own preflight still runs before it sends anything).
public struct ActionAccess: Sendable, Equatable {
    /// Why F is disabled.
    public var failover: String?
    /// Why M, m and B are disabled.
    public var migration: String?
    /// Why A, N, D, R and f (adding, removing, replacing, forgetting nodes) are disabled.
    public var membership: String?
    /// Commands that could not be checked: said once, never a reason to disable a key.
    public var note: String?

    public init(failover: String? = nil, migration: String? = nil, membership: String? = nil, note: String? = nil) {
        self.failover = failover
        self.migration = migration
        self.membership = membership
        self.note = note
    }
}
