/// What `shardtop backup` sends to each node that saves, for the ACL preflight (ACLPreflight):
/// INFO (offsets, keys, bgsave progress), BGSAVE, and CONFIG GET dir / dbfilename (where the
/// file is). The primaries are only read with INFO (their offset when the backup begins).
public enum BackupPermissions {
    /// INFO with a section name is harmless as it is.
    public static let info = ACLRequirement(command: "INFO", rule: "+info", dryRun: ["INFO", "persistence"], probe: ["INFO", "server"])
    /// An unknown argument is a syntax error after the ACL check, before anything forks.
    public static let bgsave = ACLRequirement(command: "BGSAVE", rule: "+bgsave", dryRun: ["BGSAVE"], probe: ["BGSAVE", "shardtop-acl-probe"])
    /// Reads one harmless setting.
    public static let configGet = ACLRequirement(
        command: "CONFIG GET", rule: "+config|get", dryRun: ["CONFIG", "GET", "dir"], probe: ["CONFIG", "GET", "dbfilename"])

    public static let saver: [ACLRequirement] = [info, bgsave, configGet]

    /// The saving node of each target, and INFO on each primary that does not save itself.
    public static func touches(_ targets: [BackupTarget]) -> [ACLTouch] {
        var touches: [ACLTouch] = []
        for target in targets {
            guard let node = target.node else { continue }
            touches.append(ACLTouch(node: node.address, requirements: saver))
            if node.id != target.primary.id { touches.append(ACLTouch(node: target.primary.address, requirements: [info])) }
        }
        return touches
    }
}
